/**
 * Probe analysis (无线探针研判): which registry persons with an entry on a risk list were seen by
 * the district's wireless probes in a time window, each with the chain of evidence — probe
 * sighting → MAC hash → the operator's device row (phone) → the risk-list entry → the person.
 * The joins run in SQL over brain_rows (phones normalised there: digits only, no leading 86), so a
 * large registry is scanned once. Stewards only, over datasets rowAccess lets them use; one
 * exchange-log record per dataset used. Every value in the reply is masked.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../../../core/audit.js';
import type { AuthContext } from '../../../core/auth/context.js';
import { fromJson, type Db } from '../../../core/db.js';
import { AppError, fieldError } from '../../../core/errors.js';
import { maskPhone } from '../../../core/identity.js';
import type { SecretBox } from '../../../core/secret-box.js';
import { appendExchange, contentHash } from '../exchange-log.js';
import { requireSteward, rowAccess } from '../policy.js';
import { datasetForRead, maskValue } from '../rows.js';
import type { DatasetField } from '../tables.js';
import { REGISTRY_FIELDS, registryDatasetId } from '../tasks/registry.js';

export interface ProbeAnalysisInput { probeDatasetId: number; deviceDatasetId: number; riskDatasetId: number; from: string; to: string }

export interface ProbeEvidence { probeId: string | null; seenAt: Date; macHash: string; phone: string | null; riskEntry: { key: string; values: Record<string, string | null> } }
export interface ProbeHit {
  personKey: string; person: { name: string | null; sex: string | null; birthYear: number | null; address: string | null }; evidence: ProbeEvidence[]; evidenceTotal: number;
}

export const PROBE_WINDOW_DAYS = 31;
export const PROBE_PURPOSE = '无线探针研判';
// A person seen all month by one probe would otherwise fill the reply; the total is still given.
const EVIDENCE_PER_PERSON = 100;

type Role = 'probe' | 'device' | 'risk' | 'registry';
// Which fields each side must have for its part of the chain (risk: phone, or an ID number to reach the registry).
const NEEDS: Record<Exclude<Role, 'registry'>, { field: keyof ProbeAnalysisInput; all: string[]; any?: string[] }> = {
  probe: { field: 'probeDatasetId', all: ['macHash', 'seenAt'] },
  device: { field: 'deviceDatasetId', all: ['macHash', 'phone'] },
  risk: { field: 'riskDatasetId', all: [], any: ['phone', 'id_no', 'idNumber'] },
};

/** A phone as comparable digits in SQL: non-digits dropped, a leading 86 / 0086 before a mobile stripped (as standardisePhone does). */
const phoneSql = (v: RawBuilder<unknown>) =>
  sql<string>`regexp_replace(regexp_replace(coalesce(${v}, ''), '[^0-9]', '', 'g'), '^(0086|86)(1[3-9][0-9]{9})$', '\\2')`;
// An ISO-looking text only is cast, so one malformed row does not fail the whole analysis.
const ISO = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]';

export async function analyseProbes(db: Db, secrets: SecretBox, auth: AuthContext, actor: Actor, body: ProbeAnalysisInput) {
  requireSteward(auth);
  const from = new Date(body.from), to = new Date(body.to);
  if (!(from < to)) throw fieldError('to', 'probe_window_order');
  if (to.getTime() - from.getTime() > PROBE_WINDOW_DAYS * 86400_000) throw fieldError('to', 'probe_window_too_long', { days: PROBE_WINDOW_DAYS });

  const registryId = await registryDatasetId(db);
  if (!registryId) throw new AppError(409, 'conflict', 'probe_registry_missing');
  const sides: [Role, number][] = [['probe', body.probeDatasetId], ['device', body.deviceDatasetId], ['risk', body.riskDatasetId], ['registry', registryId]];
  const used = [] as { role: Role; ds: Awaited<ReturnType<typeof datasetForRead>> }[];
  for (const [role, id] of sides) {
    const field = role === 'registry' ? null : NEEDS[role].field;
    const ds = await datasetForRead(db, id).catch((err) => {
      if (err instanceof AppError && err.status === 404 && field) throw new AppError(404, 'not_found', 'match_dataset_missing', {}, { [field]: { key: 'match_dataset_missing' } });
      throw err;
    });
    const access = await rowAccess(db, auth, ds);
    if (!access.ok) {
      await db.transaction().execute((tx) => appendExchange(tx, secrets, {
        kind: 'match', outcome: 'denied', accountId: auth.accountId, actorName: actor.name, datasetId: ds.id, systemId: ds.system_id,
        purpose: PROBE_PURPOSE, detail: { reason: access.reason, role },
      }));
      throw access.error;
    }
    if (field) {
      const need = NEEDS[role as Exclude<Role, 'registry'>];
      const names = ds.fields.map((f) => f.name);
      const wanted = [...need.all, ...(need.any ?? [])];
      if (!need.all.every((n) => names.includes(n)) || (need.any && !need.any.some((n) => names.includes(n)))) {
        throw fieldError(field, 'probe_dataset_fields', { fields: wanted.join(', ') });
      }
    }
    used.push({ role, ds });
  }
  const riskFields = used[2].ds.fields;
  const riskId = riskFields.some((f) => f.name === 'id_no') ? 'id_no' : riskFields.some((f) => f.name === 'idNumber') ? 'idNumber' : null;

  const chain = sql`
    with sightings as (
      select s.data->>'probeId' as probe_id, s.data->>'macHash' as mac, t.seen_at
      from brain_rows s
      cross join lateral (select case when s.data->>'seenAt' ~ ${ISO} then (s.data->>'seenAt')::timestamptz end as seen_at) t
      where s.dataset_id = ${body.probeDatasetId} and t.seen_at >= ${from} and t.seen_at <= ${to} and coalesce(s.data->>'macHash', '') <> ''
    ),
    devices as (
      select distinct d.data->>'macHash' as mac, ${phoneSql(sql`d.data->>'phone'`)} as phone
      from brain_rows d where d.dataset_id = ${body.deviceDatasetId} and d.data->>'macHash' in (select mac from sightings)
    ),
    risk as (
      select k.key as risk_key, k.data as risk_data, ${phoneSql(sql`k.data->>'phone'`)} as phone,
        ${riskId ? sql`nullif(upper(trim(coalesce(k.data->>${riskId}, ''))), '')` : sql`null::text`} as id_no
      from brain_rows k where k.dataset_id = ${body.riskDatasetId}
    ),
    linked as (
      select dv.mac, dv.phone, r.risk_key, r.risk_data, r.id_no from devices dv join risk r on r.phone = dv.phone where dv.phone <> ''
    ),
    registry as (
      select p.key as person_key, p.data as person_data, p.phone, p.id_no from (
        select p.key, p.data, ${phoneSql(sql`p.data->>'phone'`)} as phone, nullif(upper(trim(coalesce(p.data->>'id_no', ''))), '') as id_no
        from brain_rows p where p.dataset_id = ${registryId}
      ) p
      where p.phone in (select phone from linked) or p.id_no in (select id_no from linked where id_no is not null)
    ),
    hits as (
      select l.mac, l.phone, l.risk_key, l.risk_data, g.person_key, g.person_data
      from linked l join registry g on g.phone = l.phone or (l.id_no is not null and g.id_no = l.id_no)
    )`;
  const [countRows, hitRows] = await Promise.all([
    sql<{ sightings: number; devices: number; phones: number; risk: number; persons: number }>`${chain}
      select (select count(*) from sightings)::int as sightings, (select count(distinct mac) from sightings)::int as devices,
        (select count(distinct phone) from devices where phone <> '')::int as phones, (select count(distinct risk_key) from linked)::int as risk,
        (select count(distinct person_key) from hits)::int as persons`.execute(db),
    sql<{ person_key: string; person_data: unknown; probe_id: string | null; seen_at: Date | string; mac: string; phone: string; risk_key: string; risk_data: unknown }>`${chain}
      select h.person_key, h.person_data, s.probe_id, s.seen_at, h.mac, h.phone, h.risk_key, h.risk_data
      from hits h join sightings s on s.mac = h.mac
      order by h.person_key, s.seen_at, s.probe_id, h.risk_key`.execute(db),
  ]);
  const c = countRows.rows[0];

  const regField = (name: string) => REGISTRY_FIELDS.find((f) => f.name === name)!;
  const riskKeyField: DatasetField = riskFields.find((f) => f.key && f.personal !== 'none') ?? { name: 'key', type: 'text', personal: 'none' };
  const text = (v: unknown) => (v == null ? null : String(v));
  const byPerson = new Map<string, ProbeHit>();
  for (const r of hitRows.rows) {
    let hit = byPerson.get(r.person_key);
    if (!hit) {
      const p = fromJson(r.person_data) as Record<string, unknown>;
      const birth = text(p.birth_date);
      hit = {
        personKey: r.person_key, evidence: [], evidenceTotal: 0,
        person: { name: text(maskValue(regField('name'), p.name)), sex: text(p.sex), birthYear: birth && /^\d{4}/.test(birth) ? Number(birth.slice(0, 4)) : null, address: text(maskValue(regField('address'), p.address)) },
      };
      byPerson.set(r.person_key, hit);
    }
    hit.evidenceTotal++;
    if (hit.evidence.length >= EVIDENCE_PER_PERSON) continue;
    const risk = fromJson(r.risk_data) as Record<string, unknown>;
    hit.evidence.push({
      probeId: r.probe_id, seenAt: new Date(r.seen_at), macHash: `${r.mac.slice(0, 8)}…`, phone: maskPhone(r.phone) ?? null,
      riskEntry: { key: text(maskValue(riskKeyField, r.risk_key)) ?? '', values: Object.fromEntries(riskFields.map((f) => [f.name, text(maskValue(f, risk[f.name] ?? null))])) },
    });
  }
  const hits = [...byPerson.values()].sort((a, b) => b.evidenceTotal - a.evidenceTotal || a.personKey.localeCompare(b.personKey));
  const counts = { sightings: c.sightings, devices: c.devices, phonesMatched: c.phones, riskMatched: c.risk, persons: c.persons };

  // Rows each dataset contributed: the sightings, the matched devices, the matched list entries, the persons found.
  const rowCount: Record<Role, number> = { probe: c.sightings, device: c.phones, risk: c.risk, registry: c.persons };
  const sha = contentHash(hits);
  await db.transaction().execute(async (tx) => {
    for (const { role, ds } of used) {
      await appendExchange(tx, secrets, {
        kind: 'match', outcome: 'ok', accountId: auth.accountId, actorName: actor.name, datasetId: ds.id, systemId: ds.system_id,
        rowCount: rowCount[role], contentSha256: sha, purpose: PROBE_PURPOSE,
        detail: { analysis: 'probe', role, from: from.toISOString(), to: to.toISOString(), counts },
      });
    }
  });
  return { window: { from, to }, hits, counts };
}
