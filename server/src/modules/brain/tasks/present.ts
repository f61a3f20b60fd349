import { maskIdNumber, maskPhone } from '../../../core/identity.js';
import type { TaskResult, TaskStatus } from './tables.js';

/**
 * A verification task as a worker reads it: the person masked to what the visit needs (surname,
 * sex, birth year, the address to go to; ID number and phone masked), the list it came from,
 * the deadline and the outcome. Masking happens here and nowhere else.
 */
export interface TaskRow {
  id: number; job_id: number; status: TaskStatus; result: TaskResult | null; note: string | null; title: string; person_id: number;
  region_id: number; grid_id: number | null; due_at: Date; escalation_level: number; escalated_at: Date | null;
  created_at: Date; closed_at: Date | null; photo_file_id: number | null; closed_by_name: string | null; source_name: string; person: Record<string, unknown> | string | null;
}

/** 张*、欧阳** — the surname (one character) and a star for each other character. */
export const maskPersonName = (name: string) => (name ? name[0] + '*'.repeat(Math.max(1, [...name].length - 1)) : name);

const text = (v: unknown) => (v == null || v === '' ? null : String(v));

export function presentTask(t: TaskRow, now = new Date()) {
  const p = (typeof t.person === 'string' ? JSON.parse(t.person) : t.person) ?? {};
  const sex = text(p.sex);
  return {
    id: t.id, jobId: t.job_id, status: t.status, result: t.result, note: t.note, title: t.title, sourceName: t.source_name,
    person: {
      name: p.name ? maskPersonName(String(p.name)) : null, sex: sex === 'M' || sex === 'F' ? (sex as 'M' | 'F') : null, birthYear: text(p.birth_date)?.slice(0, 4) ?? null,
      idNumber: maskIdNumber(text(p.id_no)), phone: maskPhone(text(p.phone)), address: text(p.address),
    },
    regionId: t.region_id, gridId: t.grid_id, dueAt: t.due_at, overdue: t.status === 'open' && new Date(t.due_at).getTime() < now.getTime(),
    escalationLevel: t.escalation_level, escalatedAt: t.escalated_at, createdAt: t.created_at, closedAt: t.closed_at, closedBy: t.closed_by_name, photoId: t.photo_file_id,
  };
}
