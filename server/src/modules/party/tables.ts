import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the party register tables (migrations/0018_party.sql), merged into core's Database, and their codes with names. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextList = ColumnType<string[], string[] | undefined, string[]>;

export const MEMBER_STATUSES = ['probationary', 'full'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const MEMBER_STATUS_NAMES: Record<MemberStatus, string> = { probationary: '预备党员', full: '正式党员' };

export const TRANSFER_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const TRANSFER_STATUS_NAMES: Record<TransferStatus, string> = { pending: '待接收', accepted: '已接收', rejected: '已退回' };

/** Organisation kinds that have members: the party organisations of the tree (not enterprises or social organisations themselves). */
export const PARTY_ORG_KINDS = ['party_working_committee', 'party_committee', 'general_branch', 'branch'] as const;

export interface PartyMembersTable {
  id: Id; person_id: number | null; name: string; name_initials: string; sex: 'M' | 'F'; id_number: string; phone: string | null;
  organisation_id: number; status: MemberStatus; joined_on: string; full_on: string | null; posts: TextList;
  report_community_id: number | null; reported_on: string | null; created_at: Stamp; updated_at: Stamp;
}
export interface PartyTransfersTable {
  id: Id; member_id: number; from_org_id: number; to_org_id: number; status: Generated<TransferStatus>; reason: string | null;
  requested_by: number | null; requested_at: Stamp; decided_by: number | null; decided_at: Timestamp | null; decision_note: string | null;
}

declare module '../../core/schema.js' {
  interface Database {
    party_members: PartyMembersTable;
    party_transfers: PartyTransfersTable;
  }
}
