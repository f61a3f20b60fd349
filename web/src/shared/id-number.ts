/**
 * GB 11643-1999 citizen ID numbers as a person types them: what is wrong, in words a form can show,
 * and the sex and birth date a valid number carries (the server checks again on save).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Why a number is not a valid ID number; `length` carries how many characters were typed. */
export type IdNumberProblem =
  | { problem: 'length'; length: number }
  | { problem: 'chars' }
  | { problem: 'date'; date: string }
  | { problem: 'check'; expected: string };

export type IdNumberCheck = ({ ok: true; idNumber: string; sex: 'M' | 'F'; birthDate: string }) | ({ ok: false } & IdNumberProblem);

/** The MOD 11-2 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Checks a typed ID number (spaces ignored, a lower-case x accepted as X). */
export function checkIdNumber(raw: string, today = new Date()): IdNumberCheck {
  const id = raw.replace(/\s+/g, '').toUpperCase();
  if (id.length !== 18) return { ok: false, problem: 'length', length: id.length };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'chars' };
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date.getTime() > today.getTime()) {
    return { ok: false, problem: 'date', date: id.slice(6, 14) };
  }
  const expected = idCheckChar(id.slice(0, 17));
  if (expected !== id[17]) return { ok: false, problem: 'check', expected };
  // The 17th digit: odd for men, even for women.
  return { ok: true, idNumber: id, sex: Number(id[16]) % 2 === 1 ? 'M' : 'F', birthDate };
}

/** Mainland mobile numbers: what is wrong with a typed one, or null when it is fine. */
export function mobileProblem(raw: string): 'length' | 'chars' | 'prefix' | null {
  const p = raw.replace(/\s+/g, '');
  if (!/^\d*$/.test(p)) return 'chars';
  if (p.length !== 11) return 'length';
  return /^1[3-9]/.test(p) ? null : 'prefix';
}
