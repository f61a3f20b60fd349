import type { ColumnType, Generated } from 'kysely';

/**
 * Convenience stations' codes with their Chinese names, and the columns migrations/0014_station_management.sql
 * adds to core's StationsTable (merged into it). The web reads the codes from alliance/schemas.ts, which
 * repeats them; tests/api/stations.test.ts checks that the two agree.
 */

export const STATION_KINDS = ['fengxiaochao', 'xiexiejiao'] as const;
export type StationKind = (typeof STATION_KINDS)[number];
export const STATION_KIND_NAMES: Record<StationKind, string> = { fengxiaochao: '锋小巢', xiexiejiao: '歇歇脚' };

/** The services a station may offer: a fixed dictionary (a station lists a subset). */
export const STATION_SERVICES = {
  rest: '休息', water: '饮水', charging: '手机充电', restroom: '卫生间', express: '快递收取', housekeeping: '家政预约',
  entrepreneurship: '创新创业', express_agency: '快递代办',
} as const;
export type StationService = keyof typeof STATION_SERVICES;
export const STATION_SERVICE_CODES = Object.keys(STATION_SERVICES) as [StationService, ...StationService[]];

export const STATION_STATUSES = ['open', 'closed'] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];
export const STATION_STATUS_NAMES: Record<StationStatus, string> = { open: '开放', closed: '已关闭' };

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module '../../core/schema.js' {
  interface StationsTable {
    status: Generated<StationStatus>; closed_reason: string | null; closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    contact_name: string | null; contact_phone: string | null; description: string | null; updated_at: Stamp;
  }
}

export const STATION_SERVICE_STATUSES = ['requested', 'taken', 'done'] as const;
export type StationServiceStatus = (typeof STATION_SERVICE_STATUSES)[number];
export const STATION_SERVICE_STATUS_NAMES: Record<StationServiceStatus, string> = { requested: '待服务', taken: '服务中', done: '已完成' };

/** A service a station gives a resident (migrations/0024_party_sources.sql). */
export interface StationServicesTable {
  id: Generated<number>; station_id: number; service: StationService; note: string | null; beneficiary_account_id: number;
  status: Generated<StationServiceStatus>; handler_account_id: number | null; taken_at: Date | null; done_at: Date | null; done_note: string | null;
  rating: number | null; rating_text: string | null; rated_at: Date | null; created_at: Stamp;
}

declare module '../../core/schema.js' {
  interface Database { station_services: StationServicesTable }
}
