/**
 * Red Brain (红色大脑) data hub: the shapes the server answers and its fixed code lists.
 * Types are the wire side of server/src/modules/brain/schemas.ts (types only, nothing bundled);
 * the lists are keyed by the server's enums, so a code added there fails the type check here
 * until it is listed (and named in admin/brain-i18n.ts).
 */
import type { z } from 'zod';
import type * as schemas from '@server/modules/brain/schemas.js';

type Wire<T extends z.ZodType> = z.input<T>;
type R = typeof schemas.brainResponses;
type ItemOf<P> = P extends { items: (infer I)[] } ? I : never;

export type FieldType = Wire<typeof schemas.fieldType>;
export type PersonalLevel = Wire<typeof schemas.personalLevel>;
export type ShareType = Wire<typeof schemas.shareType>;
export type UpdateCycle = Wire<typeof schemas.updateCycle>;
export type ConnectorKind = Wire<typeof schemas.connectorKind>;
export type RunStatus = Wire<typeof schemas.runStatus>;
export type DepartmentLevel = Wire<typeof schemas.departmentLevel>;
export type LegalBasis = Wire<typeof schemas.legalBasis>;
export type ApprovalStatus = Wire<typeof schemas.approvalStatus>;
export type DatasetField = Wire<typeof schemas.datasetField>;

export type BrainDepartment = ItemOf<Wire<R['departments'][200]>>;
export type BrainSystem = ItemOf<Wire<R['systems'][200]>>;
export type CatalogueItem = ItemOf<Wire<R['catalogue'][200]>>;
export type DatasetDetail = Wire<R['dataset'][200]>;
export type DatasetRun = DatasetDetail['runs'][number];
export type DatasetRows = Wire<R['rows'][200]>;
export type UploadPreview = Wire<R['preview'][200]>;
export type BrainRun = Wire<R['run'][200]>;
export type BrainConnector = Wire<R['connector'][200]>;
export type BrainConnectorCreated = Wire<R['connectorCreated'][201]>;
export type BrainApproval = Wire<R['approval'][200]>;
export type ExchangeRecord = ItemOf<Wire<R['exchangeLog'][200]>>;
export type ExchangeVerify = Wire<R['verify'][200]>;

const keysOf = <K extends string>(o: Record<K, true>) => Object.keys(o) as K[];
export const FIELD_TYPES = keysOf<FieldType>({ text: true, int: true, number: true, date: true, timestamp: true });
export const PERSONAL_LEVELS = keysOf<PersonalLevel>({ none: true, personal: true, sensitive: true });
export const SHARE_TYPES = keysOf<ShareType>({ open: true, conditional: true, none: true });
export const UPDATE_CYCLES = keysOf<UpdateCycle>({ realtime: true, hourly: true, daily: true, weekly: true, monthly: true, quarterly: true, yearly: true, irregular: true });
export const CONNECTOR_KINDS = keysOf<ConnectorKind>({ sql: true, http_pull: true, webhook: true, mqtt: true });
export const DEPARTMENT_LEVELS = keysOf<DepartmentLevel>({ city: true, district: true, street: true, enterprise: true });
/** PIPL art. 13 (1)–(7), in the article's order. */
export const LEGAL_BASES = keysOf<LegalBasis>({ consent: true, contract_hr: true, legal_duty: true, public_health: true, news: true, public_info: true, other_law: true });
export const APPROVAL_STATUSES = keysOf<ApprovalStatus>({ pending: true, approved: true, rejected: true, withdrawn: true, expired: true });
/** The exchange log's kinds and outcomes (server: exchange-log.ts). */
export const EXCHANGE_KINDS = ['run', 'read', 'approval', 'inbound', 'retention', 'reconcile'] as const;
export const EXCHANGE_OUTCOMES = ['ok', 'denied', 'failed', 'refused', 'approved', 'rejected', 'expired', 'deleted'] as const;

/** A run still moving: its page keeps asking how far it got. */
export const isRunActive = (s: string) => s === 'queued' || s === 'running';
/** An MQTT subscription's run stays open while it receives: it has counts but no end to measure progress against. */
export const isStreamRun = (kind: string) => kind === 'mqtt';
/** Pull connectors can be run now; push ones (webhook, MQTT) run when data arrives. */
export const isPullConnector = (kind: string) => kind === 'sql' || kind === 'http_pull';
