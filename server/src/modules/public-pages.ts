import type { FastifyInstance } from 'fastify';
import { invalidateOn } from '../core/response-cache.js';
import { REQUEST_CHANNEL } from './property/request-events.js';
import { WISH_CHANNEL } from './wishes/timeline.js';

/**
 * Which events make which cached public pages stale (core/response-cache.ts). The namespaces are
 * what routes name in `config.responseCache.ns`:
 *   wishes     the wish wall, wish pages, seasons        alliance  the alliance roster, co-building projects
 *   stations   convenience stations                      positions service positions
 *   practical  practical matters                         open311   Open311 services and requests
 */
/** Tables announced on `public_changes` by migration 0020's triggers (tables with no domain event of their own). */
const TABLES: Record<string, readonly string[] | '*'> = {
  regions: '*', // names of communities and streets are on every page
  seasons: ['wishes'], season_communities: ['wishes'], wishes: ['wishes'], wish_photos: ['wishes'],
  alliance_units: ['alliance', 'stations', 'practical'], coop_projects: ['alliance'], coop_milestones: ['alliance'],
  stations: ['stations'], station_checkins: ['stations'],
  service_positions: ['positions'], function_rooms: ['positions'], position_staff: ['positions'], service_position_photos: ['positions'],
  practical_matters: ['practical'], practical_matter_compounds: ['practical'], practical_matter_units: ['practical'], practical_milestones: ['practical'],
  practical_matter_photos: ['practical'], practical_spending: ['practical'], practical_surveys: ['practical'],
  service_types: ['open311'], service_requests: ['open311'],
};

/** Every event kind and the namespaces it invalidates, on this instance, whichever instance caused it. */
export async function invalidatePublicPagesOnEvents(app: FastifyInstance) {
  // Any step of a wish (published, claimed, fulfilled, confirmed, released, revoked, withdrawn) moves it on the wall.
  await invalidateOn(app, WISH_CHANNEL, () => ['wishes']);
  await invalidateOn(app, REQUEST_CHANNEL, () => ['open311']);
  // An unknown table (a trigger added without a line here) drops everything rather than nothing.
  await invalidateOn(app, 'public_changes', (p) => TABLES[(p as { table?: string }).table ?? ''] ?? '*');
}
