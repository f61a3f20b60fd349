import { describe, expect, it } from 'vitest';
import { birthDateFromId, idCheckChar, isValidIdNumber, isValidMobile, maskIdNumber, maskName, maskPhone, sexFromId } from '../../server/src/core/identity.js';
import { syntheticIdNumber } from '../../server/src/seed/random.js';

describe('GB 11643 ID numbers', () => {
  it('computes the MOD 11-2 check character (standard example)', () => {
    // The worked example of GB 11643-1999: 11010519491231002X
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
  });
  it('rejects a wrong check digit, a bad date, wrong length and lower-case x', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('110105194902300027')).toBe(false); // 30 February
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber('1101051949123100XX')).toBe(false);
  });
  it('reads birth date and sex', () => {
    expect(birthDateFromId('11010519491231002X')).toBe('1949-12-31');
    expect(sexFromId('11010519491231002X')).toBe('F');
    expect(sexFromId('110105194912310011'.slice(0, 17) + idCheckChar('11010519491231001'))).toBe('M');
  });
  it('synthetic ID numbers are valid, unique and never use an allocated area code', () => {
    const seen = new Set<string>();
    for (let serial = 1; serial <= 20000; serial++) {
      const id = syntheticIdNumber('1980-05-06', serial, serial % 2 ? 'M' : 'F');
      expect(isValidIdNumber(id)).toBe(true);
      expect(id).toMatch(/^(329|319)\d{3}/);
      seen.add(id);
    }
    expect(seen.size).toBe(20000);
  });
});

describe('mobile numbers and masking', () => {
  it('accepts mainland mobiles only', () => {
    expect(isValidMobile('13812345678')).toBe(true);
    expect(isValidMobile('12812345678')).toBe(false);
    expect(isValidMobile('1381234567')).toBe(false);
    expect(isValidMobile('+8613812345678')).toBe(false);
  });
  it('masks as the brief shows', () => {
    expect(maskIdNumber('32090219800101123X')).toBe('320902********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('王小明')).toBe('王某');
    expect(maskIdNumber(null)).toBeNull();
  });
});
