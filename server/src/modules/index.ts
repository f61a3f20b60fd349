import { ROLE_DEFS, type Permission, type RoleDef } from '../core/auth/roles.js';
import type { ModuleManifest } from '../core/module.js';
import { allianceModule } from './alliance/module.js';
import { verifiedUnitsOnly } from './alliance/service.js';
import { auditModule } from './audit/module.js';
import { brainModule } from './brain/module.js';
import { cockpitModule } from './cockpit/module.js';
import { dashboardModule } from './dashboard/module.js';
import { consultModule } from './consult/module.js';
import { orgsModule } from './orgs/module.js';
import { partyModule } from './party/module.js';
import { creditFulfilledWish, isPartyMemberAccount, partyBadges } from './party/points.js';
import { creditStationService, creditVerificationTask, recordServiceRating } from './party/service-credits.js';
import { onStationServiceDone, onStationServiceRated, setHandlerBadgeLookup } from './alliance/station-services.js';
import { onTaskClosed } from './brain/tasks/service.js';
import { onRequestRated } from './property/request-flow.js';
import { setAssigneeBadgeLookup } from './property/service-requests.js';
import { noticesModule } from './notices/module.js';
import { peopleModule } from './people/module.js';
import { propertyModule } from './property/module.js';
import { regionsModule } from './regions/module.js';
import { addClaimGate, onWishFulfilled } from './wishes/claims.js';
import { wishesModule } from './wishes/module.js';
import { setPartyBadgeLookup } from './wishes/present.js';

/**
 * Every module, in dependency order: the composition root. app.ts registers their
 * routes, the roles table is built from their grants, `serve` runs their sweeps, the
 * files route asks their readers, the cockpit merges their numbers, the seed runs their steps.
 */
export const MODULES: ModuleManifest[] = [regionsModule, orgsModule, peopleModule, auditModule, wishesModule, consultModule, allianceModule, propertyModule, brainModule, partyModule, noticesModule, cockpitModule, dashboardModule];

// Cross-module rules wired here, so that neither module imports the other for them.
addClaimGate(verifiedUnitsOnly);
// A fulfilled wish credits its claimer's party points (a claim alone does not).
onWishFulfilled(creditFulfilledWish);
// A party member's claims carry the badge (亮身份).
setPartyBadgeLookup(partyBadges, isPartyMemberAccount);
// Station services done and verification tasks closed by members credit their points; residents' ratings of
// services members handled are kept on the member's side; members show the badge on what they handle.
onStationServiceDone(creditStationService);
onTaskClosed(creditVerificationTask);
onStationServiceRated(recordServiceRating('station_service'));
onRequestRated(recordServiceRating('service_request'));
setHandlerBadgeLookup(partyBadges);
setAssigneeBadgeLookup(partyBadges);

/** Every permission code with what it allows, in module order. */
export const PERMISSIONS = Object.fromEntries(MODULES.flatMap((m) => Object.entries(m.permissions))) as Record<Permission, string>;

/** The roles with the permissions their modules grant them; the district admin holds everything. */
export const ROLES: RoleDef[] = ROLE_DEFS.map((r) => ({
  ...r,
  permissions: r.code === 'district_admin' ? ['*'] : MODULES.flatMap((m) => m.grants[r.code] ?? []),
}));
