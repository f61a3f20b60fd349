import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { int } from '../../core/response.js';
import { REGION_LEVELS } from '../../core/schema.js';

/** Response schemas of the regions routes (see core/response.ts). */

export const regionLevel = z.enum(REGION_LEVELS as [typeof REGION_LEVELS[number], ...typeof REGION_LEVELS[number][]]);

/** presentRegion: childCount only where it was counted; floor and area are rooms'. */
export const region = z.object({
  id: int, parentId: int.nullable(), level: regionLevel, code: z.string(), name: z.string(),
  floor: int.nullable(), area: z.number().nullable(), childCount: int.optional(),
});

/** A node of the region tree; an OpenAPI component (it refers to itself). */
export const regionNode = region.extend({
  get children() { return z.array(regionNode); },
}).meta({ id: 'RegionNode' });

export const regionCounts = z.object({
  streets: int, communities: int, compounds: int, buildings: int, rooms: int, households: int, residents: int,
});

export const regionDetail = region.extend({ ancestors: z.array(region), counts: regionCounts });

export const grid = z.object({
  id: int, code: z.string(), name: z.string(), communityId: int, communityName: z.string(), regionCount: int,
  workers: z.array(z.object({ accountId: int, name: z.string() })),
});

export const regionResponses = {
  tree: { 200: z.object({ items: z.array(regionNode) }) },
  detail: { 200: regionDetail },
  children: { 200: pageOf(region) },
  created: { 201: region },
  updated: { 200: region },
  grids: { 200: pageOf(grid) },
};
