import { pinyin } from 'pinyin-pro';

const cache = new Map<string, string>();

/** Lower-case pinyin initials of a Chinese name ("张三丰" → "zsf"), cached per character for bulk seeding. */
export function nameInitials(name: string): string {
  let out = '';
  for (const ch of name) {
    let i = cache.get(ch);
    if (i === undefined) {
      i = /[\u4e00-\u9fff]/.test(ch) ? pinyin(ch, { pattern: 'first', toneType: 'none' }).toLowerCase() : ch.toLowerCase().replace(/[^a-z0-9]/g, '');
      cache.set(ch, i);
    }
    out += i;
  }
  return out;
}
