import { describe, expect, it } from 'vitest';
import { isValidIdNumber, sexFromId, birthDateFromId } from '../../server/src/core/identity.js';
import { syntheticIdNumber } from '../../server/src/seed/random.js';
import { checkIdNumber, idCheckChar, mobileProblem } from '../../web/src/shared/id-number.js';

describe('ID numbers checked as typed (web/src/shared/id-number)', () => {
  it('accepts the GB 11643 worked example and reads sex and birth date from it', () => {
    expect(checkIdNumber('11010519491231002X')).toEqual({ ok: true, idNumber: '11010519491231002X', sex: 'F', birthDate: '1949-12-31' });
    expect(checkIdNumber(' 11010519491231002x ')).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
    const male = '11010519491231001' + idCheckChar('11010519491231001');
    expect(checkIdNumber(male)).toMatchObject({ ok: true, sex: 'M' });
  });
  it('says what is wrong: length, characters, date, check digit', () => {
    expect(checkIdNumber('1101051949123100')).toEqual({ ok: false, problem: 'length', length: 16 });
    expect(checkIdNumber('11010519491231X02X')).toEqual({ ok: false, problem: 'chars' });
    expect(checkIdNumber('110105194902300027')).toEqual({ ok: false, problem: 'date', date: '19490230' });
    expect(checkIdNumber('110105299901010027', new Date('2026-01-01'))).toMatchObject({ ok: false, problem: 'date' });
    expect(checkIdNumber('110105194912310021')).toEqual({ ok: false, problem: 'check', expected: 'X' });
  });
  it('agrees with the server on synthetic numbers and on every wrong check digit', () => {
    for (let serial = 1; serial <= 2000; serial++) {
      const id = syntheticIdNumber('1960-02-29', serial, serial % 2 ? 'M' : 'F');
      const c = checkIdNumber(id);
      expect(c).toEqual({ ok: true, idNumber: id, sex: sexFromId(id), birthDate: birthDateFromId(id) });
      const wrong = id.slice(0, 17) + ('0123456789X'.replace(id[17], '')[serial % 10]);
      expect(checkIdNumber(wrong).ok).toBe(isValidIdNumber(wrong));
      expect(checkIdNumber(wrong)).toMatchObject({ ok: false, problem: 'check', expected: id[17] });
    }
  });
  it('mobile numbers: length, characters, prefix', () => {
    expect(mobileProblem('13812345678')).toBeNull();
    expect(mobileProblem('1381234567')).toBe('length');
    expect(mobileProblem('138-1234-5678')).toBe('chars');
    expect(mobileProblem('12812345678')).toBe('prefix');
  });
});
