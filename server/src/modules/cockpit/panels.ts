import type { Db } from '../../core/db.js';
import { alliancePanel } from './alliance-panel.js';
import { brainPanel } from './brain-panel.js';
import { cached } from '../../core/cache.js';
import { partyPanel } from './party-panel.js';
import { countPopulation, districtPopulation, populationPanel } from './population.js';
import { propertyPanel } from './property-panel.js';
import type { CockpitRegion } from './region.js';
import { wishesPanel } from './wishes-panel.js';

/**
 * The drill-down panels. `live` counts the region from the tables on every call (the naive way, kept
 * for the benchmark's comparison); `served` is what the routes answer, cached 10 s per panel and
 * region as the overview is, because several screens poll the same page: the population summed from
 * the district-wide count (population.ts), the other panels — small tables, tens of ms — counted live.
 */
export const PANEL_TTL_MS = 10_000;

const rootOf = (path: string) => `/${path.split('/')[1]}/`;

export const PANELS = {
  overview: {
    live: async (db: Db, r: CockpitRegion) => populationPanel(db, r, await countPopulation(db, r.path)),
    served: (db: Db, r: CockpitRegion) => cached(db, 'cockpit_overview', String(r.id), PANEL_TTL_MS, async () => populationPanel(db, r, await districtPopulation(db, rootOf(r.path)))),
  },
  wishes: { live: wishesPanel, served: (db: Db, r: CockpitRegion) => cached(db, 'cockpit_wishes', String(r.id), PANEL_TTL_MS, () => wishesPanel(db, r)) },
  alliance: { live: alliancePanel, served: (db: Db, r: CockpitRegion) => cached(db, 'cockpit_alliance', String(r.id), PANEL_TTL_MS, () => alliancePanel(db, r)) },
  property: { live: propertyPanel, served: (db: Db, r: CockpitRegion) => cached(db, 'cockpit_property', String(r.id), PANEL_TTL_MS, () => propertyPanel(db, r)) },
  party: { live: partyPanel, served: (db: Db, r: CockpitRegion) => cached(db, 'cockpit_party', String(r.id), PANEL_TTL_MS, () => partyPanel(db, r)) },
  brain: { live: brainPanel, served: (db: Db, r: CockpitRegion) => cached(db, 'cockpit_brain', String(r.id), PANEL_TTL_MS, () => brainPanel(db, r)) },
} as const;
export type PanelName = keyof typeof PANELS;
