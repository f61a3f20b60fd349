import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, NAME_MAPS, generateLinkageData, type PersonRow } from '../../bench/linkage-data.js';
import { isValidIdNumber, isValidMobile } from '../../server/src/core/identity.js';
import {
  damerauLevenshtein, dayMonthSwapped, parseAddress, standardiseDate, standardiseIdNumber, standardiseName, standardisePhone,
} from '../../server/src/modules/brain/linkage/standardise.js';

const data = generateLinkageData({ population: 5000, list: 500, seed: 7 });
const byKey = new Map(data.population.map((p) => [p.key, p]));
const links = data.list.filter((l) => data.planted.get(l.key)!.class === 'link');
const home = (a: string) => { const p = parseAddress(a); return `${p.compound}|${p.building}|${p.unit}|${p.room}`; };

describe('synthetic linkage data', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateLinkageData({ population: 5000, list: 500, seed: 7 });
    expect(again.population).toEqual(data.population);
    expect(again.list).toEqual(data.list);
    expect([...again.truth]).toEqual([...data.truth]);
    expect(again.kinds).toEqual(data.kinds);
    const other = generateLinkageData({ population: 5000, list: 500, seed: 8 });
    expect(other.population.slice(0, 50)).not.toEqual(data.population.slice(0, 50));
  });

  it('writes a clean population: keys, valid unique IDs, unique mobiles, canonical dates and addresses', () => {
    expect(data.population).toHaveLength(5000);
    data.population.forEach((p, i) => expect(p.key).toBe(`P${String(i + 1).padStart(7, '0')}`));
    expect(data.population.every((p) => isValidIdNumber(p.id_no))).toBe(true);
    expect(new Set(data.population.map((p) => p.id_no)).size).toBe(5000);
    const phones = data.population.map((p) => p.phone).filter(Boolean);
    expect(phones.every(isValidMobile)).toBe(true);
    expect(new Set(phones).size).toBe(phones.length);
    expect(1 - phones.length / 5000).toBeGreaterThan(0.1);
    expect(1 - phones.length / 5000).toBeLessThan(0.2);
    for (const p of data.population) {
      expect(p.birth_date).toMatch(/^(19[3-9]\d|20[0-2]\d)-\d\d-\d\d$/);
      expect(Number(p.birth_date.slice(0, 4))).toBeLessThanOrEqual(2024);
      // The ID carries the same birth date and sex (odd 17th digit = male).
      expect(p.id_no.slice(6, 14)).toBe(p.birth_date.replaceAll('-', ''));
      expect(Number(p.id_no[16]) % 2 === 1 ? '男' : '女').toBe(p.sex);
      const a = parseAddress(p.address);
      expect(a.street).toMatch(/^(黄海|新河|伏龙桥)街道$/);
      expect([a.compound, a.building, a.unit, a.room].every((x) => x !== null)).toBe(true);
      expect(p.address).toMatch(/\d+幢\d+单元\d+室$/);
    }
  });

  it('houses people in households of one to five, most of them shared', () => {
    const sizes = new Map<string, number>();
    for (const p of data.population) sizes.set(p.address, (sizes.get(p.address) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(5);
    const shared = data.population.filter((p) => sizes.get(p.address)! > 1).length;
    expect(shared / 5000).toBeGreaterThan(0.6);
  });

  it('spreads ages from the 1930s to the 2020s', () => {
    const years = data.population.map((p) => Number(p.birth_date.slice(0, 4)));
    const share = (from: number, to: number) => years.filter((y) => y >= from && y <= to).length / years.length;
    expect(share(1930, 1959)).toBeGreaterThan(0.05);
    expect(share(1960, 1999)).toBeGreaterThan(0.45);
    expect(share(2000, 2024)).toBeGreaterThan(0.15);
    expect(share(2000, 2024)).toBeLessThan(0.4);
  });

  it('repeats common names and keeps given names with the sex', () => {
    const big = generateLinkageData({ population: 100_000, list: 100, seed: 3 }).population;
    const counts = new Map<string, number>();
    for (const p of big) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThan(15);
    expect(counts.size).toBeGreaterThan(30_000);
    const endsWith = (c: string) => big.filter((p) => p.name.length === 2 && p.name.endsWith(c));
    expect(endsWith('伟').every((p) => p.sex === '男')).toBe(true);
    expect(endsWith('芳').every((p) => p.sex === '女')).toBe(true);
  });

  it('plants one-to-one true links whose keys exist on both sides', () => {
    const listKeys = new Set(data.list.map((l) => l.key));
    expect(data.list).toHaveLength(500);
    data.list.forEach((l, i) => expect(l.key).toBe(`L${String(i + 1).padStart(6, '0')}`));
    for (const [l, p] of data.truth) {
      expect(listKeys.has(l)).toBe(true);
      expect(byKey.has(p)).toBe(true);
    }
    expect(new Set(data.truth.values()).size).toBe(data.truth.size);
    expect(data.truth.size).toBe(data.kinds.link);
    expect(links.map((l) => l.key).sort()).toEqual([...data.truth.keys()].sort());
  });

  it('counts add up and follow the planted proportions', () => {
    const k = data.kinds;
    expect(k.link + k.decoy + k.outsider).toBe(500);
    expect(k.link / 500).toBeCloseTo(0.85, 2);
    expect(Math.abs(k.decoy - k.outsider)).toBeLessThanOrEqual(1);
    expect(k['link.clean'] + k['link.errors1'] + k['link.errors2'] + k['link.errors3']).toBe(k.link);
    const errors = ERROR_KINDS.reduce((s, e) => s + k[e], 0);
    expect(errors).toBe(k['link.errors1'] + 2 * k['link.errors2'] + 3 * k['link.errors3']);
    for (const [key, { class: c, errors: e }] of data.planted) {
      if (c === 'link') expect(e.length).toBeLessThanOrEqual(3);
      expect(new Set(e.map((x) => x.split('.')[0])).size, key).toBe(e.length); // one error per field
    }
    // At the benchmark's size every kind occurs, about 20% of links are clean and ~5% lack an ID.
    const full = generateLinkageData({ population: 60_000, list: 6000, seed: 7 }).kinds;
    for (const e of ERROR_KINDS) expect(full[e], e).toBeGreaterThan(0);
    expect(full['link.clean'] / full.link).toBeGreaterThan(0.15);
    expect(full['link.clean'] / full.link).toBeLessThan(0.25);
    expect(full['id.missing'] / full.link).toBeGreaterThan(0.03);
    expect(full['id.missing'] / full.link).toBeLessThan(0.08);
  });

  it('writes each planted error so that standardisation sees exactly that error', () => {
    for (const l of links) {
      const p = byKey.get(data.truth.get(l.key)!)!;
      const errors = new Set(data.planted.get(l.key)!.errors);
      const has = (e: string) => errors.has(e);
      const id = standardiseIdNumber(l.id_no).value;
      if (has('id.missing')) expect(l.id_no).toBe('');
      else if (has('id.typo') || has('id.transpose')) {
        expect(id).not.toBe(p.id_no);
        expect(damerauLevenshtein(id!, p.id_no)).toBe(1);
      } else expect(id).toBe(p.id_no);
      if (has('id.old15')) expect(l.id_no).toHaveLength(15);
      if (has('id.lower_x')) expect(l.id_no).toMatch(/x$/);

      const name = standardiseName(l.name), truthName = standardiseName(p.name);
      if (has('name.homophone')) {
        expect(name.simplified).not.toBe(p.name);
        expect(name.pinyin).toBe(truthName.pinyin);
      } else expect(name.simplified).toBe(p.name);
      if (has('name.traditional')) expect(l.name).not.toBe(p.name);
      if (has('name.space')) expect(l.name).toMatch(/[ \u3000]/);

      const phone = standardisePhone(l.phone).value;
      if (has('phone.missing')) expect(l.phone).toBe('');
      else if (has('phone.typo')) expect(damerauLevenshtein(phone!, p.phone)).toBe(1);
      else expect(phone ?? '').toBe(p.phone);

      const date = standardiseDate(l.birth_date);
      if (has('date.swapped')) expect(dayMonthSwapped(date, p.birth_date)).toBe(true);
      else expect(date).toBe(p.birth_date);
      if (has('date.format')) expect(l.birth_date).not.toBe(p.birth_date);

      if (has('address.moved')) expect(home(l.address)).not.toBe(home(p.address));
      else expect(home(l.address)).toBe(home(p.address));
      if (has('address.form')) expect(l.address).not.toBe(p.address);
      if (!errors.size) expect({ ...l, key: p.key }).toEqual(p);
    }
  });

  it('decoys share a resident\'s exact name and birth year but nothing that identifies them', () => {
    const byName = new Map<string, PersonRow[]>();
    for (const p of data.population) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
    const ids = new Set(data.population.map((p) => p.id_no)), phones = new Set(data.population.map((p) => p.phone).filter(Boolean));
    const decoys = data.list.filter((l) => data.planted.get(l.key)!.class === 'decoy');
    expect(decoys.length).toBe(data.kinds.decoy);
    for (const d of decoys) {
      expect(data.truth.has(d.key)).toBe(false);
      const date = standardiseDate(d.birth_date)!;
      const twins = (byName.get(d.name) ?? []).filter((p) => p.birth_date.slice(0, 4) === date.slice(0, 4));
      expect(twins.length, d.name).toBeGreaterThan(0);
      expect(twins.some((p) => p.birth_date !== date)).toBe(true);
      if (d.id_no) expect(ids.has(standardiseIdNumber(d.id_no).value!)).toBe(false);
      if (d.phone) expect(phones.has(standardisePhone(d.phone).value!)).toBe(false);
    }
    const outsiders = data.list.filter((l) => data.planted.get(l.key)!.class === 'outsider');
    for (const o of outsiders) {
      expect(data.truth.has(o.key)).toBe(false);
      if (o.id_no) expect(ids.has(standardiseIdNumber(o.id_no).value!)).toBe(false);
    }
  });

  it('maps traditional characters back with opencc and homophones to the same pinyin', () => {
    for (const [simplified, traditional] of NAME_MAPS.traditional) expect(standardiseName(`王${traditional}`).simplified, traditional).toBe(`王${simplified}`);
    const read = (c: string) => pinyin(c, { toneType: 'none' });
    for (const [c, others] of NAME_MAPS.homophones) for (const o of others) expect(read(o), `${c}→${o}`).toBe(read(c));
  });
});
