import { onBeforeUnmount } from 'vue';
import { api } from '@shared/api';
import { isRunActive, type BrainDepartment, type BrainRun, type BrainSystem, type CatalogueItem } from '@shared/brain';
import type { Page } from '@shared/types';
import type { z } from 'zod';
import type * as linkage from '@server/modules/brain/linkage/schemas.js';

/**
 * What several Red Brain pages fetch: every department (a few dozen) for pickers and filters,
 * a department's systems, datasets by name, and a run followed until it ends.
 */
async function allPages<T>(url: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get<Page<T>>(url, { ...query, page, pageSize: 100 });
    out.push(...res.items);
    if (out.length >= res.total || !res.items.length) return out;
  }
}

export const fetchDepartments = () => allPages<BrainDepartment>('/api/brain/departments');
export const fetchSystems = (departmentId: number) => allPages<BrainSystem>('/api/brain/systems', { departmentId });

/** The first 20 datasets whose name (or provider) matches, for a searchable select. */
export async function searchDatasets(q: string): Promise<CatalogueItem[]> {
  return (await api.get<Page<CatalogueItem>>('/api/brain/datasets', { q: q.trim() || undefined, pageSize: 20 })).items;
}

const POLL_MS = 500;

/**
 * Follows runs: asks GET /api/brain/runs/:id every half second, handing each answer to `onUpdate`,
 * until the run has ended (or waits for a retry); resolves with its last state. Stops when the
 * page goes away.
 */
export function useRunWatch() {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let alive = true;
  onBeforeUnmount(() => {
    alive = false;
    timers.forEach(clearTimeout);
  });
  function follow(runId: number, onUpdate: (run: BrainRun) => void): Promise<BrainRun> {
    return new Promise((resolve, reject) => {
      const tick = async () => {
        if (!alive) return;
        let run: BrainRun;
        try {
          run = await api.get<BrainRun>(`/api/brain/runs/${runId}`);
        } catch (e) {
          reject(e);
          return;
        }
        if (!alive) return;
        onUpdate(run);
        if (!isRunActive(run.status) || run.stage === 'retrying') {
          resolve(run);
          return;
        }
        const timer = setTimeout(() => { timers.delete(timer); tick(); }, POLL_MS);
        timers.add(timer);
      };
      tick();
    });
  }
  return { follow };
}

// ── match jobs (record linkage): the wire shapes of server/src/modules/brain/linkage/schemas.ts
export type MatchJob = z.input<typeof linkage.matchJob>;
export type MatchLink = z.input<typeof linkage.matchLink>;
export type MatchPairReview = z.input<typeof linkage.matchPairReview>;
export type MatchDecision = NonNullable<MatchLink['decision']>;
export type MatchLabel = NonNullable<MatchLink['label']>;
export const isMatchJobActive = (j: Pick<MatchJob, 'status'>) => j.status === 'queued' || j.status === 'running';

/**
 * A pair's explanation as the tags of a waterfall: "身份证号相同 +14.2" green, a negative weight red,
 * 0 (a missing value) grey. In Chinese the server's wording; in English the field and level codes.
 */
export function explanationTags(items: MatchLink['explanation'], t: (k: string) => string, te: (k: string) => boolean, zh: boolean) {
  return items.map((e) => {
    const words = zh ? e.label : `${te(`brain.match.fieldName.${e.field}`) ? t(`brain.match.fieldName.${e.field}`) : e.field} ${te(`brain.match.level.${e.level}`) ? t(`brain.match.level.${e.level}`) : e.level}`;
    const w = e.weight > 0 ? `+${e.weight.toFixed(1)}` : e.weight < 0 ? `−${Math.abs(e.weight).toFixed(1)}` : '0';
    const type = e.weight > 0 ? 'success' : e.weight < 0 ? 'danger' : 'info';
    return { key: e.field, text: `${words} ${w}`, type: type as 'success' | 'danger' | 'info', field: e.field, level: e.level };
  });
}

/** 0.9876 → "98.76%"; null (nothing to measure) → "—". */
export const percent = (x: number | null | undefined, digits = 2) => (x == null ? '—' : `${(x * 100).toFixed(digits)}%`);
