/**
 * The one screen for free text that the product publishes (wish stories, fulfilment
 * notes, thank-you lines, project texts): phone numbers, ID numbers and the
 * door-level parts of addresses are masked before anyone outside the record sees them.
 * People type these into free text no matter what the form says.
 */

// 18- or 15-digit ID numbers (the last may be X), not part of a longer digit run.
const ID_NUMBER = /(?<![\dA-Za-z])(\d{6})(\d{8}|\d{6})(\d{3}[\dXx]|\d{1})(?![\dA-Za-z])/g;
// Mainland mobiles, with optional +86 and spaces or dashes: 138 1234 5678, 138-1234-5678.
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
// Landlines: 0515-88881234, (0515)8888123, 88881234 after a "电话/座机" cue.
const LANDLINE = /(?<!\d)(?:\(?0\d{2,3}\)?[\s-]?)\d{7,8}(?!\d)/g;
// Door-level address parts: 12号楼, 3栋, 2幢, 1单元, 502室, 人民路18号, 3-502.
const ADDRESS_PARTS = [
  /(?<=[\u4e00-\u9fa5](?:路|街|巷|弄|大道))\s*\d+\s*号(?!楼)/g,
  /(?:\d+|[一二三四五六七八九十百]+)\s*(?:号楼|栋|幢|单元|室|号院)/g,
  /(?<!\d)\d{1,3}\s*-\s*\d{1,2}\s*-\s*\d{3,4}(?!\d)/g,
  /(?<!\d)\d{1,3}\s*-\s*\d{3,4}(?!\d)/g,
];

export function screenPublicText(text: string): string;
export function screenPublicText(text: string | null): string | null;
export function screenPublicText(text: string | null): string | null {
  if (!text) return text;
  let s = text.replace(ID_NUMBER, (_m, a: string, b: string, c: string) => a + '*'.repeat(b.length) + c.replace(/^\d{2}/, '**'));
  s = s.replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`);
  s = s.replace(LANDLINE, (m) => m.replace(/\d{4}(?=\d{0,4}$)/, '****'));
  for (const re of ADDRESS_PARTS) s = s.replace(re, '***');
  return s;
}
