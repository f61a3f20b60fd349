import { describe, expect, it } from 'vitest';
import { sheetDate } from '../../server/src/modules/party/members-import.js';

describe('dates in the party member sheet', () => {
  it('reads the ways a worker types a date, and only real dates', () => {
    expect(sheetDate('2021-07-01')).toBe('2021-07-01');
    expect(sheetDate('2021/7/1')).toBe('2021-07-01');
    expect(sheetDate('2021.7.1')).toBe('2021-07-01');
    expect(sheetDate('2021年7月1日')).toBe('2021-07-01');
    expect(sheetDate('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2026-02-29', '2021-13-01', '2021-04-31', '1900-01-01', '21-7-1', '2021-07-01 10:00', '七一', '']) expect(sheetDate(bad), bad).toBeUndefined();
  });
});
