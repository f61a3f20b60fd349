import { idCheckChar } from '../core/identity.js';

/** Deterministic PRNG (mulberry32) so every seed run produces the same district. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
  };
}
export type Rng = ReturnType<typeof rng>;

// Synthetic names only: common surnames × a pool of given-name characters.
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国文辉力斌宇浩凯鹏晨欣怡梓涵子轩雨泽佳琪思远嘉懿俊熙一诺若曦振华志强海燕春梅秋菊冬梅晓东亮亚楠慧婷雪晶鑫淑珍德胜保国永康荣福寿家乐安宁';

/** A synthetic name; pass a surname to keep a family's (children take the householder's). */
export function personName(r: Rng, surname?: string): string {
  const given = r.next() < 0.35 ? r.pick([...GIVEN]) : r.pick([...GIVEN]) + r.pick([...GIVEN]);
  return (surname ?? r.pick([...SURNAMES])) + given;
}

/**
 * A synthetic, checksum-valid ID number. Area codes 3290xx–3299xx and 3190xx–3199xx
 * are not allocated to any county, so these can never be a real person's number.
 * (area, sequence) is unique per serial for the first million, whatever the birth date.
 */
export function syntheticIdNumber(birth: string, serial: number, sex: 'M' | 'F'): string {
  const seq = (serial % 500) * 2 + (sex === 'M' ? 1 : 0); // odd = male
  const block = Math.floor(serial / 500);
  const area = (block < 1000 ? 329000 : 319000) + (block % 1000);
  const first17 = `${area}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

export function syntheticPhone(serial: number): string {
  // 199 0xxx xxxx: one block, unique per serial
  return `199${String(serial).padStart(8, '0')}`;
}

export function birthDate(r: Rng, minAge: number, maxAge: number, year = 2026): string {
  const y = year - r.int(minAge, maxAge);
  const m = r.int(1, 12), d = r.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
