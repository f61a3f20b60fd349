/**
 * What a match job compares: how a source row is standardised, the blocking rules that find
 * candidate pairs, and the comparisons with their levels, written as SQL over the standardised
 * values (`l.v` and `r.v`, jsonb). The engine is the same for every spec; `person` is the one the
 * hub's datasets use (fields name, sex, birth_date, id_no, phone, address).
 */
import { sexFromId } from '../../../core/identity.js';
import { parseAddress, standardiseDate, standardiseIdNumber, standardiseName, standardisePhone } from './standardise.js';

export type Std = Record<string, string | number | boolean | null>;

export interface Level {
  /** Stable code in the API's explanation: exact, standardised, pinyin, one_edit, swapped, year_month, room, building, compound, different … */
  code: string;
  /** Chinese wording after the field's label: 身份证号 + 相同 → "身份证号相同". */
  label: string;
  /** SQL condition over l.v and r.v; the first level that holds is the pair's level. The last level is "different" and needs none. */
  when?: string;
}
export interface Comparison {
  field: string;
  label: string;
  /** SQL condition for "a side has no value": the level is missing (-1) and weighs 0. */
  missing: string;
  levels: Level[];
  /** Term-frequency adjustment: at these levels the weight follows how common the value of `value` is. */
  tf?: { levels: number[]; value: string };
}
export interface BlockingRule { name: string; label: string; keys: string[] }
export interface LinkageSpec {
  name: string;
  /** The dataset fields the spec reads (the person contract). */
  fields: string[];
  standardise(row: Record<string, unknown>): Std;
  blocking: BlockingRule[];
  comparisons: Comparison[];
}

/** `l.v->>'x'` and `r.v->>'x'` for a standardised value. */
export const L = (k: string) => `(l.v->>'${k}')`;
export const R = (k: string) => `(r.v->>'${k}')`;
export const eq = (k: string) => `${L(k)} = ${R(k)}`;
export const anyNull = (...ks: string[]) => ks.map((k) => `${L(k)} is null or ${R(k)} is null`).join(' or ');
/** One substitution, insertion, deletion or adjacent transposition apart (migrations/0017). */
export const withinOne = (k: string) => `brain_within_one_edit(${L(k)}, ${R(k)})`;

const SEX: Record<string, 'M' | 'F'> = { 男: 'M', m: 'M', male: 'M', '1': 'M', 女: 'F', f: 'F', female: 'F', '2': 'F' };

function standardisePerson(row: Record<string, unknown>): Std {
  const name = standardiseName(row.name);
  const id = standardiseIdNumber(row.id_no);
  const phone = standardisePhone(row.phone);
  const bd = standardiseDate(row.birth_date);
  const addr = parseAddress(row.address);
  const sex = SEX[String(row.sex ?? '').trim().toLowerCase()] ?? (id.valid && id.value ? sexFromId(id.value) : null);
  return {
    nr: String(row.name ?? '').trim() || null, n: name.simplified || null, py: name.pinyin || null, sp: name.surnamePinyin || null,
    sx: sex, bd, by: bd?.slice(0, 4) ?? null,
    id: id.value, idv: id.valid, ph: phone.value,
    st: addr.street, cp: addr.compound, bl: addr.building, un: addr.unit, rm: addr.room,
  };
}

export const personSpec: LinkageSpec = {
  name: 'person',
  fields: ['name', 'sex', 'birth_date', 'id_no', 'phone', 'address'],
  standardise: standardisePerson,
  // Unioned: a true pair missed by one rule (a mistyped ID) is found by another (phone, birth date + surname …).
  blocking: [
    { name: 'id', label: '身份证号', keys: ['id'] },
    { name: 'phone', label: '手机号', keys: ['ph'] },
    { name: 'birth_surname', label: '出生日期+姓氏拼音', keys: ['bd', 'sp'] },
    { name: 'name_year', label: '姓名拼音+出生年', keys: ['py', 'by'] },
    { name: 'address_name', label: '小区+楼栋+姓名拼音', keys: ['cp', 'bl', 'py'] },
  ],
  comparisons: [
    {
      field: 'id_no', label: '身份证号', missing: anyNull('id'),
      levels: [
        { code: 'exact', label: '相同', when: `${eq('id')} and (l.v->>'idv')::boolean` },
        { code: 'exact_invalid', label: '相同但校验位不符', when: eq('id') },
        { code: 'one_edit', label: '一位之差或相邻颠倒', when: withinOne('id') },
        { code: 'different', label: '不同' },
      ],
    },
    {
      field: 'name', label: '姓名', missing: anyNull('n'),
      levels: [
        { code: 'exact', label: '相同', when: eq('nr') },
        { code: 'standardised', label: '繁简或空格不同', when: eq('n') },
        { code: 'pinyin', label: '同音', when: eq('py') },
        { code: 'one_edit', label: '一字之差', when: withinOne('n') },
        { code: 'different', label: '不同' },
      ],
      tf: { levels: [0, 1], value: 'n' },
    },
    {
      field: 'birth_date', label: '出生日期', missing: anyNull('bd'),
      levels: [
        { code: 'exact', label: '相同', when: eq('bd') },
        { code: 'swapped', label: '月日颠倒', when: `substr(${L('bd')}, 1, 4) = substr(${R('bd')}, 1, 4) and substr(${L('bd')}, 6, 2) = substr(${R('bd')}, 9, 2) and substr(${L('bd')}, 9, 2) = substr(${R('bd')}, 6, 2)` },
        { code: 'one_edit', label: '一位之差', when: withinOne('bd') },
        { code: 'year_month', label: '同年同月', when: `substr(${L('bd')}, 1, 7) = substr(${R('bd')}, 1, 7)` },
        { code: 'different', label: '不同' },
      ],
    },
    {
      field: 'sex', label: '性别', missing: anyNull('sx'),
      levels: [{ code: 'exact', label: '相同', when: eq('sx') }, { code: 'different', label: '不同' }],
    },
    {
      field: 'phone', label: '手机号', missing: anyNull('ph'),
      levels: [
        { code: 'exact', label: '相同', when: eq('ph') },
        { code: 'one_edit', label: '一位之差或相邻颠倒', when: withinOne('ph') },
        { code: 'different', label: '不同' },
      ],
    },
    {
      field: 'address', label: '住址', missing: anyNull('cp'),
      levels: [
        { code: 'room', label: '同一房屋', when: `${eq('cp')} and ${L('bl')} is not distinct from ${R('bl')} and ${L('un')} is not distinct from ${R('un')} and ${L('rm')} is not distinct from ${R('rm')} and ${L('rm')} is not null` },
        { code: 'building', label: '同一楼栋', when: `${eq('cp')} and ${eq('bl')}` },
        { code: 'compound', label: '同一小区', when: eq('cp') },
        { code: 'different', label: '不同' },
      ],
    },
  ],
};

const specs = new Map<string, LinkageSpec>([[personSpec.name, personSpec]]);
/** A benchmark registers its own spec (FEBRL's English records) before creating jobs with it. */
export function registerSpec(spec: LinkageSpec) { specs.set(spec.name, spec); }
export function specByName(name: string): LinkageSpec {
  const s = specs.get(name);
  if (!s) throw new Error(`unknown linkage spec ${name}`);
  return s;
}

/** The comparison vector of a pair as one SQL array expression: a level per comparison, -1 where missing. */
export function comparisonVectorSql(spec: LinkageSpec): string {
  const cases = spec.comparisons.map((c) => {
    const whens = c.levels.map((lv, i) => (lv.when ? `when ${lv.when} then ${i}` : `else ${i}`)).join(' ');
    return `case when ${c.missing} then -1 ${whens} end`;
  });
  return `array[${cases.join(', ')}]::smallint[]`;
}
