import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { Converter } from 'opencc-js/cn2t';
import type { Executor } from '../../core/db.js';
import { birthDate, personName, rng, syntheticIdNumber, syntheticPhone, type Rng } from '../../seed/random.js';

/**
 * The seed's headline result of the Red Brain, planted so that running the hub over the demo tells
 * it: the health commission's city-wide list of arrivals from medium/high-risk areas names 1,685 of
 * the district's 620,000 residents, written as departmental lists are written (15-digit and
 * lower-case-x ID numbers, a mistyped digit, traditional characters, spaces, +86 phones, dates in
 * other forms, phones and dates missing), among entries for people living elsewhere (some sharing a
 * resident's name and birth year); the operator's device table and a week of probe sightings put 32
 * of the 1,685 in the district. A smaller district gets the same proportions (at least 3 probe hits,
 * so the demo has some to show). Drawn from its own PRNG, so the rest of the seed is unchanged.
 */
export const STORY = { population: 620_000, linked: 1_685, probeHits: 32 } as const;

const AREAS = ['湖北省武汉市', '上海市浦东新区', '北京市朝阳区', '广东省广州市', '黑龙江省绥芬河市', '吉林省舒兰市', '河北省石家庄市', '新疆维吾尔自治区乌鲁木齐市'];
const toTraditional = Converter({ from: 'cn', to: 'tw' });

export const macOf = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 32);
/** A phone as operators write it: +86 and dashes. */
export const operatorPhone = (p: string) => `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`;

/** How many linked persons and probe hits a district of this many residents plants. */
export function storySize(persons: number) {
  if (persons >= STORY.population) return { linked: STORY.linked, probeHits: STORY.probeHits };
  const linked = Math.max(1, Math.round((STORY.linked * persons) / STORY.population));
  return { linked, probeHits: Math.min(linked, Math.max(3, Math.round((STORY.probeHits * linked) / STORY.linked))) };
}

interface Resident { id: number; name: string; sex: 'M' | 'F'; birth: string; id_number: string; phone: string }
interface Row { name: string; sex: string; birth_date: string; id_no: string; phone: string }

const substituteDigit = (s: string, from: number, to: number, r: Rng) => {
  const at = r.int(from, to);
  const d = String((Number(s[at]) + r.int(1, 9)) % 10);
  return s.slice(0, at) + d + s.slice(at + 1);
};
const dateForms = (d: string, r: Rng) => {
  const [y, m, day] = [d.slice(0, 4), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
  return r.pick([`${y}/${m}/${day}`, d.replaceAll('-', ''), `${y}年${m}月${day}日`]);
};

/** A resident's entry as a clerk typed it: at most one slip per field, and none that breaks the person's phone when the probes must find it. */
function clerkEntry(p: Resident, r: Rng, keepPhone: boolean): Row {
  let id = p.id_number, name = p.name, phone = p.phone, birth: string = p.birth, sex = p.sex === 'M' ? '男' : '女';
  const year = Number(p.birth.slice(0, 4));
  const u = r.next();
  if (u < 0.12 && year < 2000) id = id.slice(0, 6) + id.slice(8, 17); // the 15-digit form
  else if (u < 0.2 && id.endsWith('X')) id = id.toLowerCase();
  else if (u < 0.24) id = substituteDigit(id, 14, 16, r); // a mistyped sequence digit: name, date and phone still agree
  const n = r.next();
  if (n < 0.1) name = toTraditional(name);
  else if (n < 0.16) name = `${name.slice(0, 1)}${r.next() < 0.5 ? ' ' : '\u3000'}${name.slice(1)}`;
  const ph = r.next();
  if (!keepPhone && ph < 0.08) phone = '';
  else if (ph < 0.35) phone = r.pick([operatorPhone(phone), `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, `86${phone}`]);
  const b = r.next();
  if (b < 0.15) birth = dateForms(birth, r);
  else if (b < 0.22) birth = '';
  if (r.next() < 0.1) sex = '';
  return { name, sex, birth_date: birth, id_no: id, phone };
}

/** Someone on the city's list who lives elsewhere; a decoy takes a resident's name and birth year. */
function outsider(i: number, r: Rng, decoyOf: Resident | null): Row {
  const sex: 'M' | 'F' = decoyOf?.sex ?? (r.next() < 0.5 ? 'M' : 'F');
  let birth = birthDate(r, 18, 80);
  if (decoyOf) birth = `${decoyOf.birth.slice(0, 4)}${birth.slice(4)}`;
  if (decoyOf && birth === decoyOf.birth) birth = `${birth.slice(0, 8)}${birth.slice(8) === '28' ? '27' : '28'}`;
  return {
    name: decoyOf?.name ?? personName(r), sex: sex === 'M' ? '男' : '女', birth_date: birth,
    id_no: syntheticIdNumber(birth, 900_000 + i, sex), phone: r.next() < 0.85 ? syntheticPhone(50_000_000 + i) : '',
  };
}

/** The list of arrivals, the operator's devices and the probe sightings for the story (rows in the datasets' field names). */
export async function plantArrivalsStory(tx: Executor, now: number, notThese: number[]) {
  const persons = Number((await sql<{ n: number }>`select count(*)::int as n from persons`.execute(tx)).rows[0].n);
  const { linked, probeHits } = storySize(persons);
  const noise = probeHits * 5;
  // Adults with an ID number and a phone, spread over the whole district (md5 order), none of the demo's listed devices.
  const residents = (await sql<Resident>`
    select id, name, sex, to_char(birth_date, 'YYYY-MM-DD') as birth, id_number, phone from persons
    where id_number is not null and phone is not null and birth_date < current_date - interval '16 years'
      and id not in (${sql.join(notThese.length ? notThese : [0])})
    order by md5(id::text) limit ${linked + noise}`.execute(tx)).rows;
  const onList = residents.slice(0, linked), elsewhere = residents.slice(linked);
  const r = rng(20_200_124);
  const day = 86400_000;

  const entries: Row[] = onList.map((p, i) => clerkEntry(p, r, i < probeHits));
  const outsiders = Math.round(linked * 1.4);
  for (let i = 0; i < outsiders; i++) entries.push(outsider(i, r, r.next() < 0.15 ? r.pick(elsewhere.length ? elsewhere : onList) : null));
  const order = entries.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = r.int(0, i); [order[i], order[j]] = [order[j], order[i]]; }
  const arrivals = order.map((i, n) => ({
    entryNo: `WJW-${String(n + 1).padStart(6, '0')}`, ...entries[i], fromArea: r.pick(AREAS),
    arrivedOn: new Date(now - r.int(1, 14) * day).toISOString().slice(0, 10),
  }));

  // Devices: the probe hits and the noise residents are seen this week; a further few on the list have
  // a device the probes never saw; a few visitors on the list (living elsewhere) are seen too.
  const devices: { macHash: string; phone: string }[] = [], sightings: Record<string, unknown>[] = [];
  const see = (mac: string, times: number) => {
    for (let k = 0; k < times; k++) {
      const seen = new Date(now - r.int(0, 6 * 86400) * 1000);
      seen.setMilliseconds(0);
      sightings.push({ probeId: `TZ-HH-${String(r.int(1, 24)).padStart(3, '0')}`, macHash: mac, seenAt: seen.toISOString(), rssi: -r.int(40, 92) });
    }
  };
  onList.slice(0, Math.min(linked, probeHits * 3)).forEach((p, i) => {
    const mac = macOf(`story-mac-${p.id}`);
    devices.push({ macHash: mac, phone: operatorPhone(p.phone) });
    if (i < probeHits) see(mac, r.int(2, 6));
  });
  elsewhere.forEach((p) => { const mac = macOf(`story-mac-${p.id}`); devices.push({ macHash: mac, phone: operatorPhone(p.phone) }); see(mac, r.int(1, 8)); });
  const visitors = arrivals.filter((a, n) => order[n] >= linked && a.phone).slice(0, Math.ceil(probeHits / 4));
  visitors.forEach((v, i) => { const mac = macOf(`story-visitor-${i}`); devices.push({ macHash: mac, phone: v.phone }); see(mac, r.int(1, 3)); });
  return { arrivals, devices, sightings, linked, probeHits };
}
