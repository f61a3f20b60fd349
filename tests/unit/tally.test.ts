import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES, tally, type Ballot, type Choice, type RegisterRoom, type Thresholds } from '../../server/src/modules/consult/tally.js';

/**
 * An independent, deliberately plain count: heads by repeatedly merging owner sets
 * until nothing changes, then ratios checked with ordinary integer arithmetic.
 */
function reference(rooms: RegisterRoom[], ballots: Ballot[], th: Thresholds) {
  const groups: { rooms: Set<number>; owners: Set<number> }[] = [];
  const developer = rooms.filter((r) => r.unsoldDeveloperUnit).map((r) => r.roomId);
  for (const r of rooms.filter((x) => !x.unsoldDeveloperUnit)) groups.push({ rooms: new Set([r.roomId]), owners: new Set(r.ownerIds) });
  let merged = true;
  while (merged) {
    merged = false;
    outer: for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        if ([...groups[i].owners].some((o) => groups[j].owners.has(o))) {
          groups[j].rooms.forEach((x) => groups[i].rooms.add(x));
          groups[j].owners.forEach((x) => groups[i].owners.add(x));
          groups.splice(j, 1);
          merged = true;
          break outer;
        }
      }
    }
  }
  const headOf = (roomId: number) => (developer.includes(roomId) ? 'dev' : `g${groups.findIndex((g) => g.rooms.has(roomId))}`);
  const allHeads = new Set(rooms.map((r) => headOf(r.roomId)));
  const valid: Ballot[] = [];
  for (const b of ballots) if (rooms.some((r) => r.roomId === b.roomId) && !valid.some((v) => v.roomId === b.roomId)) valid.push(b);
  const area = (id: number) => rooms.find((r) => r.roomId === id)!.areaCenti;
  const totalArea = rooms.reduce((s, r) => s + r.areaCenti, 0);
  const partArea = valid.reduce((s, b) => s + area(b.roomId), 0);
  const agreeArea = valid.filter((b) => b.choice === 'agree').reduce((s, b) => s + area(b.roomId), 0);
  const partHeadSet = new Set(valid.map((b) => headOf(b.roomId)));
  const agreeHeads = [...partHeadSet].filter((h) => valid.filter((b) => headOf(b.roomId) === h).every((b) => b.choice === 'agree')).length;
  const ok = (n: number, d: number, t: { num: number; den: number; strict: boolean }) => d > 0 && (t.strict ? n * t.den > d * t.num : n * t.den >= d * t.num);
  return {
    participationArea: { num: String(partArea), den: String(totalArea) },
    participationHeads: { num: String(partHeadSet.size), den: String(allHeads.size) },
    consentArea: { num: String(agreeArea), den: String(partArea) },
    consentHeads: { num: String(agreeHeads), den: String(partHeadSet.size) },
    passed: ok(partArea, totalArea, th.participation) && ok(partHeadSet.size, allHeads.size, th.participation) && ok(agreeArea, partArea, th.consent) && ok(agreeHeads, partHeadSet.size, th.consent),
  };
}

const registerArb = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(
  fc.array(fc.record({
    areaCenti: fc.integer({ min: 3000, max: 20000 }),
    ownerIds: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(2, Math.floor(n * 0.9)) }), { minLength: 1, maxLength: 3 }),
    unsoldDeveloperUnit: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  }), { minLength: n, maxLength: n }),
  fc.array(fc.record({ room: fc.integer({ min: 0, max: n + 2 }), choice: fc.constantFrom<Choice>('agree', 'disagree', 'abstain') }), { maxLength: n + 5 }),
  fc.constantFrom<Thresholds>(RULES.major, RULES.ordinary, { participation: { num: 1, den: 2, strict: true }, consent: { num: 2, den: 3, strict: false } }),
)).map(([rooms, votes, th]) => ({
  rooms: rooms.map((r, i) => ({ roomId: i + 1, ...r })) as RegisterRoom[],
  ballots: votes.map((v) => ({ roomId: v.room + 1, choice: v.choice })),
  th,
}));

describe('owners\' vote tally (Civil Code art. 278)', () => {
  it('agrees with an independent plain implementation on random registers and ballots', () => {
    fc.assert(fc.property(registerArb, ({ rooms, ballots, th }) => {
      const got = tally(rooms, ballots, th);
      const want = reference(rooms, ballots, th);
      expect({ pa: got.participationArea, ph: got.participationHeads, ca: got.consentArea, chd: got.consentHeads, passed: got.passed })
        .toEqual({ pa: want.participationArea, ph: want.participationHeads, ca: want.consentArea, chd: want.consentHeads, passed: want.passed });
    }), { numRuns: 500 });
  });

  const rooms = (n: number, area = 10000): RegisterRoom[] => Array.from({ length: n }, (_, i) => ({ roomId: i + 1, areaCenti: area, ownerIds: [100 + i], unsoldDeveloperUnit: false }));
  const votes = (ids: number[], choice: Choice): Ballot[] => ids.map((roomId) => ({ roomId, choice }));
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

  it('participation of exactly 2/3 passes; a hair under fails', () => {
    const r = rooms(12);
    const exact = tally(r, votes(range(1, 8), 'agree'), RULES.major);
    expect(exact.participationArea).toEqual({ num: '80000', den: '120000' });
    expect(exact.tests.participationArea).toBe(true);
    expect(exact.passed).toBe(true);
    // 0.01 m² less area among the participants: just below 2/3.
    const less = r.map((x) => (x.roomId === 1 ? { ...x, areaCenti: 9999 } : x));
    const under = tally(less, votes(range(1, 8), 'agree'), RULES.major);
    expect(under.participationArea).toEqual({ num: '79999', den: '119999' });
    expect(under.tests.participationArea).toBe(false);
    expect(under.passed).toBe(false);
    expect(tally(r, votes(range(1, 7), 'agree'), RULES.major).tests.participationHeads).toBe(false); // 7/12 < 2/3
  });

  it('consent of exactly 3/4 passes a major matter; just below fails; ordinary needs more than half', () => {
    const r = rooms(12);
    const b = [...votes(range(1, 9), 'agree'), ...votes(range(10, 12), 'disagree')]; // 9/12 = 3/4
    const exact = tally(r, b, RULES.major);
    expect(exact.consentHeads).toEqual({ num: '9', den: '12' });
    expect(exact.passed).toBe(true);
    const r2 = r.map((x) => (x.roomId === 12 ? { ...x, areaCenti: 10001 } : x)); // a disagreeing room 0.01 m² larger
    const under = tally(r2, b, RULES.major);
    expect(under.consentArea).toEqual({ num: '90000', den: '120001' });
    expect(under.tests.consentArea).toBe(false);
    const half = [...votes(range(1, 6), 'agree'), ...votes(range(7, 12), 'disagree')];
    expect(tally(r, half, RULES.ordinary).tests.consentHeads).toBe(false); // exactly 1/2 is not more than half
    expect(tally(r, [...votes(range(1, 7), 'agree'), ...votes(range(8, 12), 'disagree')], RULES.ordinary).passed).toBe(true);
  });

  it('abstentions take part but do not consent; non-voters never consent', () => {
    const r = rooms(4);
    const res = tally(r, [...votes([1, 2, 3], 'agree'), { roomId: 4, choice: 'abstain' }], RULES.major);
    expect(res.participationHeads).toEqual({ num: '4', den: '4' });
    expect(res.consentHeads).toEqual({ num: '3', den: '4' });
    const silent = tally(r, votes([1, 2], 'agree'), RULES.ordinary);
    expect(silent.participationHeads).toEqual({ num: '2', den: '4' });
    expect(silent.passed).toBe(false);
  });

  it('co-owners share one vote; one person owning several rooms is one head; unsold developer units are one head together', () => {
    const r: RegisterRoom[] = [
      { roomId: 1, areaCenti: 9000, ownerIds: [1, 2], unsoldDeveloperUnit: false }, // co-owned: one head
      { roomId: 2, areaCenti: 9000, ownerIds: [3], unsoldDeveloperUnit: false }, // person 3 owns rooms 2 and 3: one head
      { roomId: 3, areaCenti: 8000, ownerIds: [3], unsoldDeveloperUnit: false },
      { roomId: 4, areaCenti: 7000, ownerIds: [], unsoldDeveloperUnit: true }, // developer: rooms 4 and 5 are one head
      { roomId: 5, areaCenti: 7000, ownerIds: [], unsoldDeveloperUnit: true },
      { roomId: 6, areaCenti: 10000, ownerIds: [4], unsoldDeveloperUnit: false },
    ];
    const res = tally(r, [{ roomId: 2, choice: 'agree' }, { roomId: 3, choice: 'disagree' }, { roomId: 4, choice: 'agree' }], RULES.major);
    expect(res.counts.heads).toBe(4);
    expect(res.participationHeads).toEqual({ num: '2', den: '4' });
    expect(res.participationArea).toEqual({ num: '24000', den: '50000' });
    // Person 3 split their rooms' votes: the head does not consent; the area of the agreeing room does.
    expect(res.consentHeads).toEqual({ num: '1', den: '2' });
    expect(res.consentArea).toEqual({ num: '16000', den: '24000' });
  });

  it('a second ballot for a room, or a ballot for a room outside the scope, is never counted', () => {
    const r = rooms(3);
    const res = tally(r, [{ roomId: 1, choice: 'agree' }, { roomId: 1, choice: 'disagree' }, { roomId: 99, choice: 'agree' }], RULES.major);
    expect(res.counts.ballots).toBe(1);
    expect(res.consentHeads).toEqual({ num: '1', den: '1' });
  });
});
