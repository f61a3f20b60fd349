/** GB 11643-1999 citizen ID numbers and mainland mobile numbers: validation and masking. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The MOD 11-2 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** 18 characters, a real calendar birth date, and the right check character. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return idCheckChar(id.slice(0, 17)) === id[17];
}

export function birthDateFromId(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Sex from the 17th digit: odd male, even female. */
export function sexFromId(id: string): 'M' | 'F' {
  return Number(id[16]) % 2 === 1 ? 'M' : 'F';
}

/** Mainland mobile: 11 digits starting 1[3-9]. */
export function isValidMobile(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone);
}

/** 320902********123X: keep the 6-digit area code and the last 4. */
export function maskIdNumber(id: string | null): string | null {
  return id ? id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4) : id;
}

/** 138****5678 */
export function maskPhone(phone: string | null): string | null {
  return phone ? phone.slice(0, 3) + '****' + phone.slice(-4) : phone;
}

/** 王某: public pages never carry a full name. */
export function maskName(name: string): string {
  return name ? name[0] + '某' : name;
}
