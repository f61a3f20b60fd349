/**
 * The FEBRL spec: FEBRL4's English records (../shared/data/febrl4) compared by the same engine as
 * the hub's person datasets, with levels suited to its fields. Used by bench/linkage.ts.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { anyNull, eq, L, R, withinOne, type LinkageSpec } from '../server/src/modules/brain/linkage/spec.js';

export const FEBRL_FIELDS = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'];

const clean = (v: unknown) => {
  const s = String(v ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  return s || null;
};
const withinTwo = (k: string) => `levenshtein_less_equal(${L(k)}, ${R(k)}, 2) <= 2`;
const textComparison = (field: string, label: string, k: string, tf = false) => ({
  field, label, missing: anyNull(k),
  levels: [
    { code: 'exact', label: '相同', when: eq(k) },
    { code: 'one_edit', label: '一处之差', when: withinOne(k) },
    { code: 'two_edits', label: '两处之差', when: withinTwo(k) },
    { code: 'different', label: '不同' },
  ],
  ...(tf ? { tf: { levels: [0], value: k } } : {}),
});

export const febrlSpec: LinkageSpec = {
  name: 'febrl',
  fields: FEBRL_FIELDS.slice(1),
  standardise: (row) => ({
    gn: clean(row.given_name), sn: clean(row.surname), no: clean(row.street_number), a1: clean(row.address_1), a2: clean(row.address_2),
    sub: clean(row.suburb), pc: clean(row.postcode), st: clean(row.state), dob: clean(row.date_of_birth), ssn: clean(row.soc_sec_id)?.replace(/\D/g, '') || null,
  }),
  blocking: [
    { name: 'ssn', label: 'soc_sec_id', keys: ['ssn'] },
    { name: 'dob', label: 'date_of_birth', keys: ['dob'] },
    { name: 'names', label: 'given_name + surname', keys: ['gn', 'sn'] },
    { name: 'surname_postcode', label: 'surname + postcode', keys: ['sn', 'pc'] },
    { name: 'given_postcode', label: 'given_name + postcode', keys: ['gn', 'pc'] },
    { name: 'address', label: 'street_number + address_1', keys: ['no', 'a1'] },
  ],
  comparisons: [
    textComparison('given_name', '名', 'gn', true),
    textComparison('surname', '姓', 'sn', true),
    {
      field: 'date_of_birth', label: '出生日期', missing: anyNull('dob'),
      levels: [
        { code: 'exact', label: '相同', when: eq('dob') },
        { code: 'swapped', label: '月日颠倒', when: `substr(${L('dob')}, 1, 4) = substr(${R('dob')}, 1, 4) and substr(${L('dob')}, 5, 2) = substr(${R('dob')}, 7, 2) and substr(${L('dob')}, 7, 2) = substr(${R('dob')}, 5, 2)` },
        { code: 'one_edit', label: '一位之差', when: withinOne('dob') },
        { code: 'different', label: '不同' },
      ],
    },
    {
      field: 'soc_sec_id', label: '社保号', missing: anyNull('ssn'),
      levels: [
        { code: 'exact', label: '相同', when: eq('ssn') },
        { code: 'one_edit', label: '一位之差', when: withinOne('ssn') },
        { code: 'two_edits', label: '两位之差', when: withinTwo('ssn') },
        { code: 'different', label: '不同' },
      ],
    },
    { field: 'street_number', label: '门牌号', missing: anyNull('no'), levels: [{ code: 'exact', label: '相同', when: eq('no') }, { code: 'different', label: '不同' }] },
    textComparison('address_1', '地址', 'a1'),
    textComparison('address_2', '地址补充', 'a2'),
    textComparison('suburb', '城区', 'sub'),
    {
      field: 'postcode', label: '邮编', missing: anyNull('pc'),
      levels: [{ code: 'exact', label: '相同', when: eq('pc') }, { code: 'one_edit', label: '一位之差', when: withinOne('pc') }, { code: 'different', label: '不同' }],
    },
    { field: 'state', label: '州', missing: anyNull('st'), levels: [{ code: 'exact', label: '相同', when: eq('st') }, { code: 'different', label: '不同' }] },
  ],
};

export function readFebrl(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file), { columns: true, trim: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** rec-1070-org and rec-1070-dup-0 are the same person. */
export const febrlEntity = (recId: string) => recId.replace(/-(org|dup-\d+)$/, '');
