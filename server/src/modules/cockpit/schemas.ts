import { z } from 'zod';
import { int } from '../../core/response.js';
import { regionCounts, regionLevel } from '../regions/schemas.js';

/** Response schemas of the cockpit routes (see core/response.ts). */

/**
 * The overview. Each module adds its own numbers under a key of its own (its manifest's
 * `cockpit`, e.g. alliance's `stations`); those pass as maps of counts — numbers only.
 */
export const cockpitOverviewCore = z.object({
  scope: z.object({ id: int, name: z.string(), level: regionLevel }).nullable(),
  totals: regionCounts.nullable(),
  breakdown: z.array(z.object({ id: int, name: z.string(), level: regionLevel, residents: int, households: int })),
  at: z.iso.datetime(),
});
export const cockpitOverview = cockpitOverviewCore.catchall(z.record(z.string(), z.number()));

export const cockpitResponses = {
  overview: { 200: cockpitOverview },
};
