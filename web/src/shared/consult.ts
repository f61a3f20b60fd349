/**
 * Consultation (有事好商量), owners' votes and elevator retrofits: the fixed lists and the
 * formatting the H5 and the console share. No UI library here.
 */
import type {
  ConsultPost, ConsultPostKind, ConsultStage, ElevatorGroup, ElevatorStage, Fraction, ObjectionStage, RatioKey, VoteThreshold,
} from './types';

/** The closed loop 提 → 议 → 定 → 办 → 督 → 评, then closed. */
export const CONSULT_STAGES: ConsultStage[] = ['propose', 'deliberate', 'decide', 'implement', 'supervise', 'evaluate', 'closed'];
/** The six steps shown as a stepper (closed is "all done"). */
export const CONSULT_STEPS: ConsultStage[] = CONSULT_STAGES.slice(0, 6);
export const CONSULT_PARTIES = ['residents_committee', 'owners_committee', 'property_company', 'grid_worker', 'experts'] as const;
/** Record kinds only workers (consult:manage in scope) may add. */
export const WORKER_POST_KINDS: ConsultPostKind[] = ['meeting', 'site_visit', 'decision', 'follow_up', 'expert_qa'];

export const nextStage = (s: ConsultStage): ConsultStage | null => CONSULT_STAGES[CONSULT_STAGES.indexOf(s) + 1] ?? null;

export const RATIO_KEYS: RatioKey[] = ['participationArea', 'participationHeads', 'consentArea', 'consentHeads'];
export const isAreaRatio = (k: RatioKey) => k.endsWith('Area');
export const OBJECTION_STAGES: ObjectionStage[] = ['negotiation', 'community_mediation', 'street_mediation', 'closed'];

export const ELEVATOR_STAGES: ElevatorStage[] = [
  'willingness_survey', 'vote', 'owners_agreement', 'design_notice', 'objection_handling', 'planning_review', 'drawing_review',
  'construction_permit', 'installation_notice', 'construction', 'acceptance', 'use_registration', 'in_service',
];
export const ELEVATOR_GROUPS: ElevatorGroup[] = ['preparing', 'approved', 'under_construction', 'completed'];
export const ELEVATOR_GROUP_COLORS: Record<ElevatorGroup, string> = { preparing: '#909399', approved: '#e6a23c', under_construction: '#409eff', completed: '#67c23a' };

/** 15373/86738 */
export const fractionText = (f: Fraction) => `${f.num}/${f.den}`;

/** An integer count of 0.01 m² as m² with two decimals, exactly ("15373" → "153.73"). */
export function centiToM2(centi: string | number): string {
  const s = String(centi).replace(/^-/, '');
  const neg = String(centi).startsWith('-');
  const padded = s.padStart(3, '0');
  const whole = padded.slice(0, -2).replace(/^0+(?=\d)/, '');
  return `${neg ? '-' : ''}${Number(whole).toLocaleString('en-US')}.${padded.slice(-2)}`;
}

/**
 * The server's percentage (already truncated to 4 decimals) shown with 2 decimals,
 * truncated as well, so a hair under a threshold never looks like reaching it: 66.6666 → "66.66%".
 */
export function percentText(p: number): string {
  const s = Number(p).toFixed(4);
  return `${s.slice(0, -2)}%`;
}

/** ≥ 2/3 or > 1/2 */
export const thresholdText = (t: VoteThreshold) => `${t.strict ? '>' : '≥'} ${t.num}/${t.den}`;

/** ¥610,000.00 (yuan with two decimals and grouping). */
export function formatMoney(yuan: number | null | undefined): string {
  if (yuan == null) return '—';
  return `¥${Number(yuan).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Fen (integer) as ¥ with two decimals, exactly. */
export function formatFen(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(Math.round(fen));
  return `${neg ? '-' : ''}¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

export interface RecordItem extends ConsultPost { replies: ConsultPost[] }
export interface StageGroup { stage: ConsultStage; items: RecordItem[] }

/**
 * The record as a timeline by stage: each post belongs to the stage the consultation
 * was in when it was written (stage posts mark the moves); replies sit under their post.
 */
export function recordByStage(posts: ConsultPost[]): StageGroup[] {
  const sorted = [...posts].sort((a, b) => a.id - b.id);
  const byId = new Map<number, RecordItem>();
  const groups: StageGroup[] = [];
  let current: ConsultStage = 'propose';
  const groupOf = (stage: ConsultStage) => {
    let g = groups.find((x) => x.stage === stage);
    if (!g) { g = { stage, items: [] }; groups.push(g); }
    return g;
  };
  for (const p of sorted) {
    if (p.kind === 'stage') {
      const to = p.meta?.to as ConsultStage | undefined;
      if (to && CONSULT_STAGES.includes(to)) current = to;
      groupOf(current);
      continue;
    }
    if (p.parentId && byId.has(p.parentId)) {
      byId.get(p.parentId)!.replies.push(p);
      continue;
    }
    const item: RecordItem = { ...p, replies: [] };
    byId.set(p.id, item);
    groupOf(current).items.push(item);
  }
  groups.sort((a, b) => CONSULT_STAGES.indexOf(a.stage) - CONSULT_STAGES.indexOf(b.stage));
  return groups;
}

/**
 * Objections as the record tells them. The API has no list of a vote's objections, so
 * the apps write one to the record when they raise or move one (meta.objectionId);
 * objections raised elsewhere show only in the server's open count.
 */
export interface RecordedObjection {
  objectionId: number; body: string; raisedBy: string; raisedAt: string; stage: ObjectionStage;
  history: { stage: ObjectionStage; note: string; by: string; at: string }[];
}

export function objectionsFromRecord(posts: ConsultPost[], voteId: number): RecordedObjection[] {
  const out = new Map<number, RecordedObjection>();
  for (const p of [...posts].sort((a, b) => a.id - b.id)) {
    const m = p.meta ?? {};
    if (Number(m.voteId) !== voteId || !m.objectionId) continue;
    const oid = Number(m.objectionId);
    if (m.objection === 'raised') {
      out.set(oid, { objectionId: oid, body: p.body, raisedBy: p.authorName, raisedAt: p.createdAt, stage: 'negotiation', history: [{ stage: 'negotiation', note: '', by: p.authorName, at: p.createdAt }] });
    } else if (m.objection === 'stage' && OBJECTION_STAGES.includes(m.stage as ObjectionStage)) {
      const o = out.get(oid) ?? { objectionId: oid, body: '', raisedBy: '', raisedAt: p.createdAt, stage: 'negotiation' as ObjectionStage, history: [] };
      o.stage = m.stage as ObjectionStage;
      o.history.push({ stage: o.stage, note: p.body, by: p.authorName, at: p.createdAt });
      out.set(oid, o);
    }
  }
  return [...out.values()];
}
