/**
 * Smart party-building (智慧党建): the shapes the server answers. Types are the wire side of
 * server/src/modules/party/schemas.ts (types only, nothing bundled).
 */
import type { z } from 'zod';
import type * as schemas from '@server/modules/party/schemas.js';

type Wire<T extends z.ZodType> = z.input<T>;

export type PartyMemberStatus = Wire<typeof schemas.memberStatus>;
export type PartyTransferStatus = Wire<typeof schemas.transferStatus>;
export type PartyMember = Wire<typeof schemas.partyMember>;
export type PartyTransfer = Wire<typeof schemas.partyTransfer>;

/** The statuses in the server's order (party/tables.ts). */
export const PARTY_MEMBER_STATUSES = ['probationary', 'full'] as const satisfies readonly PartyMemberStatus[];
export const PARTY_TRANSFER_STATUSES = ['pending', 'accepted', 'rejected'] as const satisfies readonly PartyTransferStatus[];
