import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the practical-matter tables (migrations/0012_practical_matters.sql), merged into core's Database, and their codes with names. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint: read as a number (core/db.ts parses int8), written as a number. */
type Fen = ColumnType<number, number | undefined, number>;

export const MATTER_STATUSES = ['planned', 'in_progress', 'accepted', 'closed'] as const;
export const MATTER_CATEGORIES = ['renovation', 'charging', 'sewage', 'lighting', 'accessibility', 'parking', 'greening', 'elderly', 'safety', 'other'] as const;
export const UNIT_KINDS = ['department', 'street_community', 'property_company', 'alliance_unit'] as const;
export const UNIT_ROLES = ['lead', 'partner'] as const;
export const PHOTO_KINDS = ['before', 'after', 'evidence'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];
export type MatterCategory = (typeof MATTER_CATEGORIES)[number];
export type UnitKind = (typeof UNIT_KINDS)[number];
export type UnitRole = (typeof UNIT_ROLES)[number];
export type PhotoKind = (typeof PHOTO_KINDS)[number];

export const STATUS_NAMES: Record<MatterStatus, string> = { planned: '计划中', in_progress: '实施中', accepted: '已验收', closed: '已结项' };
export const CATEGORY_NAMES: Record<MatterCategory, string> = {
  renovation: '老旧小区改造', charging: '充电设施', sewage: '雨污分流与管网', lighting: '照明亮化', accessibility: '无障碍设施',
  parking: '停车设施', greening: '绿化与休闲', elderly: '适老化与养老', safety: '安全设施', other: '其他',
};
export const UNIT_KIND_NAMES: Record<UnitKind, string> = { department: '职能部门', street_community: '属地街道社区', property_company: '物业企业', alliance_unit: '联盟单位' };
export const UNIT_ROLE_NAMES: Record<UnitRole, string> = { lead: '牵头单位', partner: '配合单位' };
/** Still being worked on: these can be overdue. */
export const OPEN_STATUSES: MatterStatus[] = ['planned', 'in_progress'];

export interface PracticalMattersTable {
  id: Id; title: string; category: MatterCategory; summary: string | null; year: number; region_id: number; region_path: string; street_id: number | null;
  status: Generated<MatterStatus>; budget_fen: Fen; spent_fen: Fen; starts_on: string | null; due_on: string;
  started_at: Timestamp | null; accepted_at: Timestamp | null; closed_at: Timestamp | null; created_by: number | null; created_at: Stamp; updated_at: Stamp;
}
export interface PracticalMatterCompoundsTable { matter_id: number; compound_id: number; compound_path: string }
export interface PracticalMatterUnitsTable { matter_id: number; sort: number; kind: UnitKind; role: Generated<UnitRole>; name: string; alliance_unit_id: number | null }
export interface PracticalMilestonesTable {
  id: Id; matter_id: number; title: string; weight: Generated<number>; due_on: string | null; done_at: Timestamp | null; done_by: number | null; note: string | null; sort: Generated<number>;
}
export interface PracticalMatterPhotosTable { matter_id: number; file_id: number; kind: PhotoKind; milestone_id: number | null; sort: Generated<number> }
export interface PracticalSpendingTable { id: Id; matter_id: number; amount_fen: Fen; spent_on: string; note: string | null; recorded_by: number | null; recorded_at: Stamp }
export interface PracticalSurveysTable { matter_id: number; household_id: number; score: number; comment: string | null; account_id: number | null; answered_at: Stamp }

declare module '../../core/schema.js' {
  interface Database {
    practical_matters: PracticalMattersTable;
    practical_matter_compounds: PracticalMatterCompoundsTable;
    practical_matter_units: PracticalMatterUnitsTable;
    practical_milestones: PracticalMilestonesTable;
    practical_matter_photos: PracticalMatterPhotosTable;
    practical_spending: PracticalSpendingTable;
    practical_surveys: PracticalSurveysTable;
  }
}
