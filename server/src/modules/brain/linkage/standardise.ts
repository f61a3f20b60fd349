/**
 * Standardisation of person fields (name, sex, birth_date, id_no, phone, address) before record
 * linkage, and the string comparisons the engine scores with. Pure functions, no I/O: every
 * value from a departmental list passes through here on both sides of a match job.
 */
import { Converter } from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';
import { idCheckChar, isValidIdNumber, sexFromId, isValidMobile } from '../../../core/identity.js';
import { parseDay } from '../ingest.js';

/** Full-width ASCII (０-９, Ａ-Ｚ, －, ＃ …) and the ideographic space to their half-width forms. */
export function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const text = (raw: unknown) => (raw == null ? '' : halfWidth(String(raw)).trim());

// ---- ID numbers ----------------------------------------------------------------------------

export interface StandardId { value: string | null; valid: boolean; birthDate: string | null; sex: 'M' | 'F' | null }

/**
 * 18 characters, upper-case X; a 15-digit pre-1999 number becomes 18 digits (those numbers were
 * only issued to people born in the 1900s). A wrong check digit keeps its digits with valid=false:
 * a mistyped ID is still strong evidence when 17 of 18 characters agree.
 */
export function standardiseIdNumber(raw: unknown): StandardId {
  const s = text(raw).replace(/[\s-]/g, '').toUpperCase();
  let value: string | null = null;
  if (/^\d{17}[\dX]$/.test(s)) value = s;
  else if (/^\d{15}$/.test(s)) {
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    value = first17 + idCheckChar(first17);
  }
  if (!value) return { value: null, valid: false, birthDate: null, sex: null };
  return { value, valid: isValidIdNumber(value), birthDate: parseDay(value.slice(6, 14)), sex: sexFromId(value) };
}

// ---- Names ---------------------------------------------------------------------------------

// 'tw' also folds Taiwan variant forms into standard traditional before simplifying.
const toSimplified = Converter({ from: 'tw', to: 'cn' });

// Two-character surnames: without them 欧阳锋 would block with every 欧 and never with 欧阳.
// Pairs that are more often a single surname plus a given name (单于, 乐正) are left out.
const COMPOUND_SURNAMES = new Set(('欧阳 司马 诸葛 上官 濮阳 皇甫 尉迟 公孙 慕容 令狐 夏侯 东方 长孙 宇文 司徒 端木 '
  + '西门 南宫 独孤 轩辕 万俟 闻人 澹台 公冶 宗政 申屠 钟离 赫连 呼延 淳于 鲜于 闾丘 拓跋 司空 太史').split(' '));

// Separators written between the parts of minority and foreign names (阿卜杜·热合曼): one form.
const NAME_DOTS = /[.·•・‧∙⋅･･]+/g;

export interface StandardName { simplified: string; pinyin: string; surname: string; surnamePinyin: string }

/**
 * Simplified characters without spaces and with one kind of middle dot; toneless pinyin
 * (surname readings for the first character: 单 shan, 曾 zeng) so homophones compare equal.
 */
export function standardiseName(raw: unknown): StandardName {
  const simplified = toSimplified(text(raw).replace(/\s+/g, '').replace(NAME_DOTS, '·').replace(/^·+|·+$/g, ''));
  if (!/^[\u4e00-\u9fff]/.test(simplified)) {
    // A name in Latin letters carries no surname convention to rely on; the engine blocks on other keys.
    return { simplified, pinyin: simplified.toLowerCase().replace(/[^a-z0-9]/g, ''), surname: '', surnamePinyin: '' };
  }
  const syllables = pinyin(simplified, { toneType: 'none', type: 'array', surname: 'head', v: true }).map((p) => p.toLowerCase().replace(/[^a-z0-9]/g, ''));
  const surname = COMPOUND_SURNAMES.has(simplified.slice(0, 2)) ? simplified.slice(0, 2) : simplified[0];
  return { simplified, pinyin: syllables.join(''), surname, surnamePinyin: syllables.slice(0, surname.length).join('') };
}

// ---- Phones --------------------------------------------------------------------------------

export interface StandardPhone { value: string | null; valid: boolean }

/** A mainland mobile as 11 digits; a landline keeps its digits (comparable, but valid=false). Of several numbers, the first mobile. */
export function standardisePhone(raw: unknown): StandardPhone {
  const candidates = text(raw).split(/[,，;；/、]/).map((p) => p.replace(/\D/g, '').replace(/^(?:0086|86)(?=1[3-9]\d{9}$)/, '')).filter(Boolean);
  const value = candidates.find(isValidMobile) ?? candidates[0] ?? null;
  return { value, valid: value !== null && isValidMobile(value) };
}

// ---- Dates ---------------------------------------------------------------------------------

/** 'YYYY-MM-DD' from any form the data hub reads (2024/3/5, 20240305, 2024年3月5日, Excel serials). */
export function standardiseDate(raw: unknown): string | null {
  return raw == null || raw === '' ? null : parseDay(typeof raw === 'string' ? halfWidth(raw) : raw);
}

/** 1985-03-07 against 1985-07-03: the commonest date-entry error, scored apart from "different". */
export function dayMonthSwapped(a: string | null, b: string | null): boolean {
  if (!a || !b || a === b || a.slice(0, 4) !== b.slice(0, 4)) return false;
  return a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7);
}

export function sameYearMonth(a: string | null, b: string | null): boolean {
  return !!a && !!b && a.slice(0, 7) === b.slice(0, 7);
}

// ---- Addresses -----------------------------------------------------------------------------

export interface StandardAddress { street: string | null; compound: string | null; building: string | null; unit: string | null; room: string | null }

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十二 → 12, 一百零二 → 102; read digit by digit when there is no 十/百 (五零二 → 502). */
function chineseNumber(s: string): string {
  if (!/[十百]/.test(s)) return [...s].map((c) => CN_DIGIT[c]).join('');
  let total = 0, cur = 0;
  for (const c of s) {
    if (c === '十') { total += (cur || 1) * 10; cur = 0; } else if (c === '百') { total += cur * 100; cur = 0; } else cur = CN_DIGIT[c];
  }
  return String(total + cur);
}

const MARK = '幢|栋|号楼|号|座|#|单元|室|-';
const CN_NUMERAL = new RegExp(`[零〇一二两三四五六七八九十百]+(?=${MARK}|$)`, 'g');
// building [marker] unit [marker] room; a two-part "3-502" is building and room.
const BUR = /(\d+)(?:幢|栋|号楼|号|座|#|-)(?:(\d+)(?:单元|-))?(?:(\d+)(?:室|号)?)?/;
// The street (街道 / 镇 / 乡) after any province, city or district prefix; 小区 and 社区 are not districts.
const STREET = /(?:^|[省市县]|(?<![小社园])区)([^省市区县]{1,8}?(?:街道|镇|乡))/;
const ADMIN_PREFIX = /^(?:[^省]{2,7}省)?(?:[^市]{2,7}市)?(?:[^区县]{2,7}(?<![小社园])(?:区|县))?/;
// A road and gate number before the compound (解放路88号): the compound names the home better, and
// left in place the gate number would be read as a building.
const ROAD = /^[^路街巷弄]{1,10}(?:路|街|大道|巷|弄)\d+号(?=[^楼])/;

const num = (s: string | undefined) => (s === undefined ? null : String(Number(s)));

/**
 * Street, compound, building, unit and room from the forms lists are written in:
 * 黄海街道橡树湾小区3幢2单元502室, 橡树湾3-2-502, 橡树湾3栋2单元502, 橡树湾小区3号楼2单元502, 橡树湾3#2-502, 三幢二单元.
 * The compound drops a trailing 小区 so 橡树湾 and 橡树湾小区 compare equal. Missing parts are null.
 */
export function parseAddress(raw: unknown): StandardAddress {
  let s = text(raw).replace(/\s+/g, '').replace(/[—–－]/g, '-');
  if (!s) return { street: null, compound: null, building: null, unit: null, room: null };
  const street = STREET.exec(s);
  s = (street ? s.slice(street.index + street[0].length) : s.replace(ADMIN_PREFIX, '')).replace(ROAD, '');
  s = s.replace(CN_NUMERAL, chineseNumber);
  const m = BUR.exec(s);
  const compound = (m ? s.slice(0, m.index) : s).replace(/小区$/, '') || null;
  return { street: street?.[1] ?? null, compound, building: num(m?.[1]), unit: num(m?.[2]), room: num(m?.[3]) };
}

// ---- Comparison ----------------------------------------------------------------------------

/**
 * Optimal-string-alignment Damerau–Levenshtein over code points (a Chinese character is one edit).
 * Above `max` it returns max + 1 as soon as that is certain: the engine only asks "≤ 1?" or "≤ 2?",
 * and most pairs differ far more.
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  const s = [...a], t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (!s.length || !t.length) return Math.min(Math.max(s.length, t.length), max + 1);
  let prev2: number[] = [], prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    // A transposition reaches back two rows, so stop only when both of the last two rows exceed max.
    if (rowMin > max && Math.min(...prev) > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return Math.min(prev[t.length], max + 1);
}
