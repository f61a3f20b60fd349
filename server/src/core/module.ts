import type { FastifyPluginAsync } from 'fastify';
import type { AuthContext } from './auth/context.js';
import type { Permission, RoleCode } from './auth/roles.js';
import type { Db, Executor } from './db.js';
import type { EventBus } from './events.js';
import type { FileStore } from './files.js';
import type { Database } from './schema.js';
import type { SecretBox } from './secret-box.js';

/**
 * A module's manifest (Decidim's component.rb is the model): everything the rest of
 * the system needs to know about a domain, in one place. app.ts registers the routes,
 * the roles table is built from the grants, `serve` runs the sweeps, the files route
 * asks the readers, the cockpit merges the indicators and the demo seed runs the
 * seed steps — all by looping over the list in modules/index.ts.
 */
export interface ModuleManifest {
  name: string;
  /** Route plugins, registered in this order. */
  routes: FastifyPluginAsync[];
  /** The permission codes this module defines, with what they allow (shown in the console). */
  permissions: Partial<Record<Permission, string>>;
  /** Which roles hold which of this module's permissions (district_admin holds '*'). */
  grants: Partial<Record<RoleCode, Permission[]>>;
  /** Tables this module owns: only its code writes them (tests/unit/boundaries.test.ts checks). */
  tables: (keyof Database)[];
  /** Idempotent sweeps over the module's tables; `serve` runs them on a timer in every instance. */
  sweeps?: Sweep[];
  /** Long-lived background work (queues, broker subscriptions) that `serve` starts in every instance and stops on shutdown. */
  workers?: Worker[];
  /** Who may read a stored file attached to this module's rows; undefined when the file is not the module's. */
  fileReaders?: FileReader[];
  /** Numbers for the cockpit overview, counted inside the caller's scope (a region path prefix). */
  cockpit?: (db: Db, scopePath: string) => Promise<Record<string, unknown>>;
  /** The module's part of the demo district; returns counts for the seed summary. */
  seed?: (tx: Executor, demo: DemoContext) => Promise<Record<string, number> | void>;
}

export interface ModuleDeps { db: Db; bus: EventBus | null; files: FileStore; secrets: SecretBox }
export interface Worker { name: string; start: (deps: ModuleDeps, log: WorkerLog) => Promise<() => Promise<void>> }
export interface WorkerLog { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void }
export interface Sweep { name: string; everyMs: number; run: (deps: ModuleDeps) => Promise<unknown> }
export type FileReader = (db: Db, auth: AuthContext, fileId: number) => Promise<boolean | undefined>;

export interface DemoRegion { id: number; path: string; name: string }
/** What the base seed (regions, people, organisations, accounts) hands to each module's seed step. */
export interface DemoContext {
  rng: { next(): number; int(min: number, max: number): number; pick<T>(list: readonly T[]): T };
  streets: DemoRegion[];
  communities: DemoRegion[];
  compounds: Record<string, DemoRegion>;
  orgs: Record<string, number>;
  accountId(username: string): Promise<number>;
  persons: { resident: number; member: number };
}

/** Keeps the literal types of a manifest while checking it. */
export const defineModule = <const M extends ModuleManifest>(m: M): M => m;

/** Tables core owns (shared infrastructure: audit, personal-data log, files, messaging, throttles, locks). */
export const CORE_TABLES: (keyof Database)[] = [
  'audit_log', 'pi_access_log', 'schema_migrations', 'files', 'notifications', 'outbox', 'wechat_bindings', 'wechat_bind_codes',
  'auth_throttle', 'app_secrets', 'import_locks', 'provider_tokens',
];
