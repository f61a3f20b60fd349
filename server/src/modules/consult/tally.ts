/**
 * The owners' vote count of Civil Code art. 278, with head-count per the Supreme
 * People's Court interpretation on building ownership, art. 9. Pure and exact:
 * areas are integers in 0.01 m², ratios are fractions compared by cross-multiplying
 * BigInts, so 2/3 exactly passes and a hair under fails.
 */

export type Choice = 'agree' | 'disagree' | 'abstain';
export type Rule = 'major' | 'ordinary' | 'custom';

export interface RegisterRoom {
  roomId: number;
  /** Exclusive area in 0.01 m². */
  areaCenti: number;
  /** Owners of the room; co-owners share the room's one vote. */
  ownerIds: number[];
  /** Unsold developer units together count as one head. */
  unsoldDeveloperUnit: boolean;
}

export interface Ballot { roomId: number; choice: Choice }

export interface Fraction { num: string; den: string }
export interface Threshold { num: number; den: number; strict: boolean }
export interface Thresholds { participation: Threshold; consent: Threshold }

export const RULES: Record<Exclude<Rule, 'custom'>, Thresholds> = {
  // Participation: ≥ 2/3 of the area and ≥ 2/3 of the heads.
  // Major matters (maintenance funds, rebuilding, common parts' use, elevator retrofit): consent ≥ 3/4 of participants' area and heads.
  major: { participation: { num: 2, den: 3, strict: false }, consent: { num: 3, den: 4, strict: false } },
  // Ordinary matters: consent > 1/2 of participants' area and heads.
  ordinary: { participation: { num: 2, den: 3, strict: false }, consent: { num: 1, den: 2, strict: true } },
};

export const DEVELOPER_HEAD = 'developer';

/**
 * Which rooms count as one head: all unsold developer units are one; rooms linked
 * through a common owner (one person owning several rooms, possibly jointly) are
 * one; every other room is one. Returns room → head key.
 */
export function headKeys(rooms: RegisterRoom[]): Map<number, string> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) { const next = parent.get(x)!; parent.set(x, r); x = next; }
    return r;
  };
  const byOwner = new Map<number, number>();
  for (const room of rooms) if (!room.unsoldDeveloperUnit) parent.set(room.roomId, room.roomId);
  for (const room of rooms) {
    if (room.unsoldDeveloperUnit) continue;
    for (const owner of room.ownerIds) {
      const other = byOwner.get(owner);
      if (other === undefined) byOwner.set(owner, room.roomId);
      else parent.set(find(room.roomId), find(other));
    }
  }
  const out = new Map<number, string>();
  for (const room of rooms) out.set(room.roomId, room.unsoldDeveloperUnit ? DEVELOPER_HEAD : `h${find(room.roomId)}`);
  return out;
}

const frac = (num: bigint, den: bigint): Fraction => ({ num: num.toString(), den: den.toString() });
/** num/den ≥ t (or > t when strict); a zero denominator never passes. */
const meets = (num: bigint, den: bigint, t: Threshold) => den > 0n && (t.strict ? num * BigInt(t.den) > den * BigInt(t.num) : num * BigInt(t.den) >= den * BigInt(t.num));
const percent = (num: bigint, den: bigint) => (den === 0n ? 0 : Number((num * 1000000n) / den) / 10000);

export interface TallyResult {
  passed: boolean;
  participationPassed: boolean;
  consentPassed: boolean;
  participationArea: Fraction; participationHeads: Fraction;
  consentArea: Fraction; consentHeads: Fraction;
  percentages: { participationArea: number; participationHeads: number; consentArea: number; consentHeads: number };
  tests: { participationArea: boolean; participationHeads: boolean; consentArea: boolean; consentHeads: boolean };
  thresholds: Thresholds;
  counts: { rooms: number; heads: number; ballots: number; agree: number; disagree: number; abstain: number };
}

/**
 * Counts one vote. Area: each voting room's own area (participation), and the
 * areas of rooms voting agree (consent). Heads: a head participates if any of its
 * rooms voted, and consents only if every ballot it cast agrees. Abstentions take
 * part but never consent; non-voters never count as consent.
 */
export function tally(rooms: RegisterRoom[], ballots: Ballot[], thresholds: Thresholds): TallyResult {
  const keys = headKeys(rooms);
  const roomById = new Map(rooms.map((r) => [r.roomId, r]));
  let totalArea = 0n, partArea = 0n, agreeArea = 0n;
  for (const r of rooms) totalArea += BigInt(r.areaCenti);
  const heads = new Set(keys.values());
  const headVotes = new Map<string, { agree: number; other: number }>();
  const counts = { agree: 0, disagree: 0, abstain: 0 };
  const seen = new Set<number>();
  for (const b of ballots) {
    const room = roomById.get(b.roomId);
    if (!room || seen.has(b.roomId)) continue; // outside the scope, or a second ballot for a room: never counted
    seen.add(b.roomId);
    counts[b.choice]++;
    partArea += BigInt(room.areaCenti);
    if (b.choice === 'agree') agreeArea += BigInt(room.areaCenti);
    const key = keys.get(b.roomId)!;
    const hv = headVotes.get(key) ?? { agree: 0, other: 0 };
    if (b.choice === 'agree') hv.agree++; else hv.other++;
    headVotes.set(key, hv);
  }
  const totalHeads = BigInt(heads.size);
  const partHeads = BigInt(headVotes.size);
  const agreeHeads = BigInt([...headVotes.values()].filter((h) => h.other === 0 && h.agree > 0).length);
  const tests = {
    participationArea: meets(partArea, totalArea, thresholds.participation),
    participationHeads: meets(partHeads, totalHeads, thresholds.participation),
    consentArea: meets(agreeArea, partArea, thresholds.consent),
    consentHeads: meets(agreeHeads, partHeads, thresholds.consent),
  };
  const participationPassed = tests.participationArea && tests.participationHeads;
  const consentPassed = tests.consentArea && tests.consentHeads;
  return {
    passed: participationPassed && consentPassed, participationPassed, consentPassed,
    participationArea: frac(partArea, totalArea), participationHeads: frac(partHeads, totalHeads),
    consentArea: frac(agreeArea, partArea), consentHeads: frac(agreeHeads, partHeads),
    percentages: {
      participationArea: percent(partArea, totalArea), participationHeads: percent(partHeads, totalHeads),
      consentArea: percent(agreeArea, partArea), consentHeads: percent(agreeHeads, partHeads),
    },
    tests, thresholds,
    counts: { rooms: rooms.length, heads: heads.size, ballots: seen.size, ...counts },
  };
}
