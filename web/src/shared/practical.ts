/**
 * Practical matters (暖心实事): the fixed lists, colours and money formatting the H5 and the
 * console share. The lists are keyed by the server's enums, so a code added there fails the type
 * check here until it is listed (and, in shared/i18n/practical.ts, named). No UI library here.
 */
import type { MatterCategory, MatterStatus } from './types';

export const MATTER_STATUS_COLORS: Record<MatterStatus, string> = { planned: '#909399', in_progress: '#1989fa', accepted: '#07c160', closed: '#646566' };
/** The flow's order: planned → in_progress → accepted → closed. */
export const MATTER_STATUSES = Object.keys(MATTER_STATUS_COLORS) as MatterStatus[];

const categories: Record<MatterCategory, true> = {
  renovation: true, charging: true, sewage: true, lighting: true, accessibility: true, parking: true, greening: true, elderly: true, safety: true, other: true,
};
export const MATTER_CATEGORIES = Object.keys(categories) as MatterCategory[];

/** Still being worked on: these can be overdue. */
export const isOpenMatter = (s: string) => s === 'planned' || s === 'in_progress';

/** Fen as 万元 with at most two decimals, for large sums at a glance: 320000000 → "320". */
export const wanOfFen = (fen: number) => (Math.round(fen / 10_000) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });

/** Spent over budget, in whole percent (null without a budget). */
export const spentPercent = (spentFen: number, budgetFen: number) => (budgetFen > 0 ? Math.round((spentFen / budgetFen) * 100) : null);
