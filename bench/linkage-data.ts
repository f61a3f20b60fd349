/**
 * A synthetic Chinese district population (clean, as the registry holds it) and a dirty departmental
 * list with planted true links, for benchmarking record linkage (issue 11). Everyone is invented:
 * ID numbers use unallocated area codes, phones one synthetic 198/199 range. One seeded PRNG drives
 * everything, so the same options give the same rows.
 *   node bin/tsx-run.mjs bench/linkage-data.ts --population 620000 --list 20000 --out DIR [--seed 1]
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { birthDate, rng, syntheticIdNumber, type Rng } from '../server/src/seed/random.js';

export interface PersonRow { key: string; name: string; sex: string; birth_date: string; id_no: string; phone: string; address: string }
export type ListRowClass = 'link' | 'decoy' | 'outsider';
export interface LinkageData {
  population: PersonRow[];
  list: PersonRow[];
  /** list key → population key, only for true links */
  truth: Map<string, string>;
  /** list rows per class (link, decoy, outsider), links by number of errors, and links per error kind */
  kinds: Record<string, number>;
  /** per list key: its class and what was done to it (for per-kind recall in a benchmark) */
  planted: Map<string, { class: ListRowClass; errors: string[] }>;
}

const LINK_SHARE = 0.85;
const THIS_YEAR = 2026; // birthDate's reference year: ages 2–96 are births 1930–2024

// ---- weighted draws --------------------------------------------------------------------------

function weighted<T>(items: readonly (readonly [T, number])[]): (r: Rng) => T {
  const cum = new Float64Array(items.length);
  let sum = 0;
  items.forEach(([, w], i) => { sum += w; cum[i] = sum; });
  return (r) => {
    const u = r.next() * sum;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] > u) hi = mid; else lo = mid + 1; }
    return items[lo][0];
  };
}
/** Most common first; the offset flattens the head so the top name is ~1% of its sex, not 10%. */
const zipf = (words: string, offset = 40) => weighted(words.split(' ').map((w, i) => [w, 1 / (i + offset)] as const));

// ---- names -----------------------------------------------------------------------------------

// Approximate national frequencies (%), Jiangsu-leaning (陈, 徐, 朱 higher); a few compound and rare ones.
const SURNAME = weighted([...('王7.1 李6.5 张6.0 刘5.0 陈5.8 杨3.0 黄2.2 赵2.0 吴2.2 周2.0 徐2.6 孙1.6 马1.3 朱1.9 胡1.3 郭1.1 何1.1 高1.1 林1.1 罗0.9 '
  + '郑0.9 梁0.8 谢0.8 宋0.8 唐0.8 许0.8 韩0.7 冯0.7 邓0.6 曹0.7 彭0.6 曾0.5 肖0.6 田0.6 董0.5 袁0.5 潘0.5 于0.5 蒋0.6 蔡0.5 余0.4 '
  + '杜0.5 叶0.5 程0.5 苏0.4 魏0.4 吕0.4 丁0.5 任0.4 沈0.5 姚0.4 卢0.4 姜0.4 崔0.3 钟0.3 谭0.3 陆0.5 汪0.3 范0.3 金0.3 石0.3 廖0.2 '
  + '贾0.3 夏0.3 韦0.2 付0.2 方0.3 白0.2 邹0.2 孟0.2 熊0.2 秦0.2 邱0.2 江0.2 尹0.2 薛0.2 闫0.1 段0.2 雷0.2 侯0.2 龙0.1 史0.2 陶0.2 '
  + '黎0.1 贺0.2 顾0.3 毛0.2 郝0.1 龚0.2 邵0.2 万0.2 钱0.2 严0.2 戴0.2 孔0.1 汤0.1 萧0.05 单0.05 仇0.02 欧阳0.05 司马0.02 诸葛0.02 '
  + '上官0.02 皇甫0.01 濮阳0.005').matchAll(/([^\d.\s]+)([\d.]+)/g)].map((m) => [m[1], Number(m[2])] as const));
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '诸葛', '上官', '皇甫', '濮阳']);
const surnameLength = (name: string) => (COMPOUND_SURNAMES.has(name.slice(0, 2)) ? 2 : 1);

// Whole given names by sex and generation (born before 1975 / 1975–1999 / from 2000), most common first.
const COMMON_GIVEN = {
  M: {
    old: zipf('伟 军 建国 勇 强 明 平 刚 建华 建军 国强 斌 华 志强 国庆 建平 卫东 永明 德明 海涛 建新 国华 志明 卫国 红军 永强 文华 '
      + '立新 新民 振华 春生 金龙 长林 庆华 保国 德华 洪波 国平 福生 永刚 根生 建明 学军 文明 志刚 国良 建中 忠 林 荣'),
    mid: zipf('伟 磊 涛 杰 鹏 超 浩 亮 军 勇 强 斌 俊 峰 鑫 宇 凯 辉 波 健 明 刚 晨 龙 飞 俊杰 志伟 建伟 海峰 晓东 晓明 文杰 '
      + '俊峰 志刚 伟伟 建 东 毅 杨 帅 磊磊 剑 林 阳 晓峰 海洋 家豪 鹏飞 文博'),
    young: zipf('浩然 子轩 宇轩 梓轩 浩宇 子墨 一诺 宇航 俊熙 皓轩 博文 思远 梓睿 浩 宇 晨 睿 轩 子豪 泽宇 天佑 煜 铭 宇辰 '
      + '奕辰 沐宸 梓豪 锦程 思辰 俊宇 浩轩 嘉懿 子涵 明轩 一鸣 宇泽 昊然 承泽 景行 梓晨 瑞霖 家乐 博涵 诗阳 逸飞'),
  },
  F: {
    old: zipf('芳 秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉英 秀华 玉珍 淑珍 红 英 兰 华 萍 珍 霞 秀芳 桂芳 素珍 淑英 凤兰 美华 丽华 '
      + '春梅 冬梅 秋菊 海燕 玉梅 秀云 桂珍 玉华 建华 红梅 金凤 爱华 素芳 淑华 玉芳 桂香 月英 兰英 小红 翠英'),
    mid: zipf('丽 静 敏 艳 娟 霞 燕 芳 婷 玲 丹 萍 红 洁 琳 倩 颖 雪 慧 莉 晶 娜 丽娟 丽华 晓燕 晓丽 海燕 雪梅 春燕 婷婷 静静 '
      + '丹丹 佳 晓红 美玲 秀梅 丽萍 小燕 文静 雅 媛 月 蕾 琴 晓静 亚楠'),
    young: zipf('欣怡 梓涵 诗涵 子涵 一诺 雨桐 可馨 紫涵 梓萱 语桐 思琪 佳怡 雨涵 欣妍 若曦 佳琪 梓琪 雨欣 诗琪 子萱 悦 '
      + '涵 琪 妍 彤 婧 瑶 梦瑶 雨萱 欣悦 思涵 可欣 佳悦 芷若 依诺 雅琪 静怡 诗雨 梓妍 语嫣 安琪 沐晴 若汐 心怡 晨曦 书瑶'),
  },
};
// Characters for the rarer, composed names (about half of everyone): they make most full names unique.
const GIVEN_CHARS = {
  M: [...'伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦奇翰朗伯宏鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士建家致树炎德行时泰盛雄琛钧冠策腾楠风航弘'],
  F: [...'秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞佳嘉琼勤珍贞莉桂娣叶璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨琰韵园艺咏卿澜纯毓悦昭冰爽琬茗羽希宁欣滢馥筠柔竹凝晓欢枫芸菲寒伊亚宜可舒影荔丽妮宝贝桦娇灵媚琪晴容睿雯萱彦雨曼紫逸蝶菡'],
};

function givenName(r: Rng, sex: 'M' | 'F', year: number): string {
  const era = year < 1975 ? 'old' : year < 2000 ? 'mid' : 'young';
  if (r.next() < 0.36) return COMMON_GIVEN[sex][era](r);
  const chars = GIVEN_CHARS[sex];
  // Single-character given names were common before the 1980s and are rare now.
  return r.next() < (era === 'old' ? 0.25 : era === 'mid' ? 0.12 : 0.05) ? r.pick(chars) : r.pick(chars) + r.pick(chars);
}

// Traditional forms of common surname and given-name characters (opencc folds them back).
const TRADITIONAL = new Map(('陈陳 张張 刘劉 黄黃 赵趙 吴吳 郑鄭 谢謝 许許 冯馮 邓鄧 萧蕭 杨楊 孙孫 马馬 罗羅 韩韓 叶葉 苏蘇 吕呂 卢盧 '
  + '钟鍾 陆陸 贾賈 韦韋 邹鄒 龙龍 贺賀 顾顧 龚龔 钱錢 严嚴 汤湯 欧歐 阳陽 诸諸 单單 闫閆 伟偉 丽麗 军軍 华華 红紅 兰蘭 凤鳳 '
  + '国國 东東 刚剛 辉輝 杰傑 涛濤 鹏鵬 荣榮 艳艷 凯凱 岚嵐 宁寧 庆慶 云雲 飞飛 梦夢 韵韻 静靜 爱愛 宝寶 贵貴 晓曉 颖穎 轩軒 '
  + '锦錦 诗詩 语語 瑶瑤 卫衛 义義 兴興 胜勝 发發 进進 贤賢 娇嬌 顺順 乐樂 伦倫 泽澤 铭銘 强強 莲蓮 琼瓊 贞貞 洁潔')
  .split(' ').map((p) => [p[0], p[1]] as const));
// Given-name characters and others read the same (toneless pinyin): what a clerk types from hearing a name.
const HOMOPHONES = new Map(('伟玮炜维 静婧晶 丽莉俐 军君钧 明鸣铭 芳方 敏民 磊蕾 杰洁捷 涛韬 华桦 平萍 刚钢 勇永咏 斌彬 娟鹃 霞侠 '
  + '艳燕雁 红虹宏 兰岚 玉钰 英瑛颖 梅玫 宇雨羽 浩皓昊 轩萱宣 涵晗 欣馨新 怡仪宜 琪琦淇 婷亭 晨辰臣 鹏朋 凯恺楷 辉晖 建健 '
  + '国帼 文雯 颖莹 慧惠 佳嘉 俊峻骏 东冬 峰锋 林琳霖 珍祯 兵冰 飞菲 龙隆 燕艳 洁杰 萍平').split(' ').map((g) => [g[0], [...g.slice(1)]] as const));
export const NAME_MAPS = { traditional: TRADITIONAL, homophones: HOMOPHONES };

// ---- ages ------------------------------------------------------------------------------------

// Share of the population by 5-year age band (0–4 … 95–99), shaped like China's mid-2020s pyramid.
const BAND = [4.0, 5.5, 6.2, 5.8, 5.3, 5.6, 7.8, 7.3, 6.6, 6.9, 8.6, 8.3, 6.0, 6.2, 4.6, 3.0, 1.8, 0.9, 0.35, 0.1];
const AGE_CUM = (() => { const c = new Float64Array(100); let s = 0; for (let a = 0; a < 100; a++) { s += BAND[Math.floor(a / 5)] / 5; c[a] = s; } return c; })();
/** An age in [min, max] drawn from the pyramid. */
function pickAge(r: Rng, min: number, max: number): number {
  const lo = min > 0 ? AGE_CUM[min - 1] : 0;
  const u = lo + r.next() * (AGE_CUM[max] - lo);
  let a = min;
  while (a < max && AGE_CUM[a] <= u) a++;
  return a;
}
const clampAge = (a: number) => Math.max(2, Math.min(96, a));

// ---- addresses -------------------------------------------------------------------------------

const STREETS = ['黄海街道', '新河街道', '伏龙桥街道'];
const COMPOUNDS_PER_STREET = 40;
// No numerals, 区/市/县/镇/路/街/号/座 in names: the written forms must parse back to the same compound.
const STEMS = ('阳光 锦绣 幸福 和谐 翠湖 春江 金色 丽景 香榭 紫薇 银杏 海棠 怡景 滨河 书香 东方 天润 御景 学府 长安 鹿鸣 聚龙 文港 '
  + '南海 望江 湖畔 盐渎 登瀛 梦溪 仕学 通榆 宝龙 凤凰 华邦 星河 悦达 金鹰 瀛洲 鹤鸣 海韵 新洋 明珠 绿洲 碧水 青枫 枫林 润泽 '
  + '康居 安居 富康 丹顶鹤 黄海 新河 伏龙 朝阳 青年 育才 红旗').split(' ');
const SUFFIXES = ['花园', '家园', '雅苑', '新村', '名邸', '华府', '佳苑', '公寓', '锦园', '景苑', '湾', '城', '里', '庭'];
const NEEDS_XIAOQU = new Set(['湾', '城', '里', '庭']); // 橡树湾 is written 橡树湾小区 in the registry

interface Compound { street: string; name: string; full: string; units: number; floors: number; perFloor: number; buildings: number; cap: number; step: number; used: number; weight: number }
interface Address { c: Compound; building: number; unit: number; room: number }

function buildCompounds(households: number): Compound[] {
  // The geography does not depend on the seed: every run describes the same district.
  const g = rng(20260311);
  const names = new Set<string>();
  const list: Compound[] = [];
  for (const street of STREETS) {
    for (let k = 0; k < COMPOUNDS_PER_STREET; k++) {
      let name = names.size === 0 ? '橡树湾' : '';
      while (!name || names.has(name)) name = g.pick(STEMS) + g.pick(SUFFIXES);
      names.add(name);
      const highRise = g.next() < 0.6;
      list.push({
        street, name, full: NEEDS_XIAOQU.has(name.slice(-1)) ? `${name}小区` : name,
        units: highRise ? g.int(1, 3) : g.int(2, 4), floors: highRise ? g.int(11, 18) : g.int(5, 7), perFloor: highRise ? g.int(2, 4) : 2,
        buildings: 0, cap: 0, step: 1, used: 0, weight: 0.4 + g.next() * 1.2,
      });
    }
  }
  const totalWeight = list.reduce((s, c) => s + c.weight, 0);
  for (const c of list) {
    const rooms = households * c.weight / totalWeight * 1.35 + 10;
    // At most 60 buildings (numbers read as 一 … 六十): a bigger compound builds taller or denser.
    for (;;) {
      c.buildings = Math.max(3, Math.ceil(rooms / (c.units * c.floors * c.perFloor)));
      if (c.buildings <= 60) break;
      if (c.floors >= 11 && c.floors < 33) c.floors += 3;
      else if (c.perFloor < 4) c.perFloor++;
      else c.units++;
    }
    c.cap = c.buildings * c.units * c.floors * c.perFloor; // rooms 501, 502 … on the fifth floor
    // A stride coprime to the capacity visits every room once, in an order that looks random.
    c.step = 7919 % c.cap || 1;
    while (gcd(c.step, c.cap) !== 1) c.step++;
  }
  return list;
}
const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

function roomAt(c: Compound, idx: number): Address {
  const perUnit = c.floors * c.perFloor, perBuilding = c.units * perUnit;
  const inBuilding = idx % perBuilding, inUnit = inBuilding % perUnit;
  return { c, building: Math.floor(idx / perBuilding) + 1, unit: Math.floor(inBuilding / perUnit) + 1, room: (Math.floor(inUnit / c.perFloor) + 1) * 100 + (inUnit % c.perFloor) + 1 };
}
const canonicalAddress = (a: Address) => `${a.c.street}${a.c.full}${a.building}幢${a.unit}单元${a.room}室`;
const sameAddress = (a: Address, b: Address) => a.c === b.c && a.building === b.building && a.unit === b.unit && a.room === b.room;

const CN = '零一二三四五六七八九';
/** 3 → 三, 12 → 十二, 25 → 二十五 (building and unit numbers are read as numbers). */
const cnNumber = (n: number) => (n < 10 ? CN[n] : `${n >= 20 ? CN[Math.floor(n / 10)] : ''}十${n % 10 ? CN[n % 10] : ''}`);
/** 502 → 五零二 (room numbers are read digit by digit). */
const cnDigits = (n: number) => [...String(n)].map((d) => CN[Number(d)]).join('');

/** The other ways departments write the same home. */
const ADDRESS_FORMS: ((a: Address) => string)[] = [
  (a) => `${a.c.name}${a.building}-${a.unit}-${a.room}`,
  (a) => `${a.c.full}${a.building}栋${a.unit}单元${a.room}`,
  (a) => `${a.c.street}${a.c.name}${a.building}号楼${a.unit}单元${a.room}室`,
  (a) => `${a.c.name}${a.building}#${a.unit}-${a.room}`,
  (a) => `${a.c.street}${a.c.full}${cnNumber(a.building)}幢${cnNumber(a.unit)}单元${cnDigits(a.room)}室`,
];

// ---- people ----------------------------------------------------------------------------------

interface Person { name: string; sex: 'M' | 'F'; birth: string; address: Address }

/** Household sizes 1–5 (mean ≈ 2.5, as in the 2020 census). */
const HOUSEHOLD_SIZE = weighted([[1, 0.25], [2, 0.3], [3, 0.22], [4, 0.14], [5, 0.09]] as const);

function household(r: Rng, address: Address): Person[] {
  const size = HOUSEHOLD_SIZE(r);
  const person = (sex: 'M' | 'F', age: number, surname: string, birth?: string): Person => {
    const b = birth ?? birthDate(r, clampAge(age), clampAge(age), THIS_YEAR);
    return { name: surname + givenName(r, sex, Number(b.slice(0, 4))), sex, birth: b, address };
  };
  const sexOf = (): 'M' | 'F' => (r.next() < 0.5 ? 'M' : 'F');
  // Living alone: young workers, and the widowed elderly.
  if (size === 1) return [person(sexOf(), r.next() < 0.45 ? pickAge(r, 60, 96) : pickAge(r, 20, 59), SURNAME(r))];
  if (size === 2 && r.next() < 0.25) {
    // A parent and a grown or school-age child.
    const parentSex = r.next() < 0.4 ? 'M' : 'F', parentAge = pickAge(r, 45, 92), s = SURNAME(r);
    return [person(parentSex, parentAge, s), person(sexOf(), parentAge - r.int(22, 36), parentSex === 'M' || r.next() < 0.3 ? s : SURNAME(r))];
  }
  // A couple (wives keep their surname), then children and sometimes a grandparent.
  const husbandAge = size === 2 ? pickAge(r, 22, 92) : pickAge(r, 25, 68);
  const husband = SURNAME(r), wife = SURNAME(r);
  const members = [person('M', husbandAge, husband), person('F', husbandAge - r.int(-3, 6), wife)];
  let lastChild: Person | null = null;
  for (let k = 2; k < size; k++) {
    if (k === size - 1 && husbandAge + 24 <= 96 && r.next() < (size === 3 ? 0.15 : 0.45)) {
      members.push(person(r.next() < 0.5 ? 'M' : 'F', Math.min(96, husbandAge + r.int(22, 34)), r.next() < 0.6 ? husband : SURNAME(r)));
      continue;
    }
    // Twins share a surname, an address and a birth date: the hardest non-matches there are.
    const twin = lastChild !== null && r.next() < 0.03;
    const child = person(sexOf(), husbandAge - r.int(22, Math.min(38, husbandAge - 2)), r.next() < 0.92 ? husband : wife, twin ? lastChild!.birth : undefined);
    members.push(child);
    lastChild = child;
  }
  return members;
}

/** A permutation of 0..n-1 (i → (i·a + b) mod n) so keys, IDs and phones do not reveal who is who. */
function permutation(n: number, r: Rng): (i: number) => number {
  let a = 1 + Math.floor(r.next() * (n - 1)) || 1;
  while (gcd(a, n) !== 1) a = (a % (n - 1)) + 1;
  const b = Math.floor(r.next() * n);
  return (i) => (i * a + b) % n; // n ≤ 10^6, so i·a stays far below 2^53
}
// 198/199 + 8 digits through a fixed odd multiplier (coprime to 2·10^8): unique and not sequential.
const phoneFor = (serial: number) => `19${800000000 + ((serial * 7368787 + 19260817) % 200000000)}`;
const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** Children's phones are often not recorded; about 15% of everyone has none. */
const phoneShare = (birth: string) => (THIS_YEAR - Number(birth.slice(0, 4)) < 14 ? 0.45 : 0.91);

// ---- errors ----------------------------------------------------------------------------------

interface Draft { row: PersonRow; surnameLength: number; address: Address }
interface ErrorKind { kind: string; weight: number; applies: (d: Draft) => boolean; apply: (d: Draft, r: Rng, ctx: Ctx) => void }
interface Ctx { randomAddress: (r: Rng, not?: Address) => Address }

const always = () => true;
function substituteDigit(s: string, from: number, to: number, r: Rng): string {
  const pos = r.int(from, to);
  let d = String(r.int(0, 9));
  while (d === s[pos]) d = String(r.int(0, 9));
  return s.slice(0, pos) + d + s.slice(pos + 1);
}
const year = (d: Draft) => Number(d.row.birth_date.slice(0, 4));
const dayMonth = (d: Draft) => [Number(d.row.birth_date.slice(5, 7)), Number(d.row.birth_date.slice(8, 10))];

// Each group is one field; a row gets at most one error per field, so every error stays identifiable.
const ERROR_GROUPS: { group: string; weight: number; kinds: ErrorKind[] }[] = [
  { group: 'id', weight: 0.22, kinds: [
    { kind: 'id.typo', weight: 0.33, applies: always, apply: (d, r) => { d.row.id_no = substituteDigit(d.row.id_no, 0, 17, r); } },
    { kind: 'id.transpose', weight: 0.2, applies: always, apply: (d, r) => {
      const s = d.row.id_no;
      let i = r.int(0, 16);
      for (let tries = 0; s[i] === s[i + 1] && tries < 40; tries++) i = r.int(0, 16);
      d.row.id_no = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    } },
    // The 15-digit form was issued before 1999 and only to people born in the 1900s.
    { kind: 'id.old15', weight: 0.2, applies: (d) => year(d) >= 1900 && year(d) <= 1999, apply: (d) => { d.row.id_no = d.row.id_no.slice(0, 6) + d.row.id_no.slice(8, 17); } },
    { kind: 'id.lower_x', weight: 2, applies: (d) => d.row.id_no.endsWith('X'), apply: (d) => { d.row.id_no = d.row.id_no.toLowerCase(); } },
    { kind: 'id.missing', weight: 0.15, applies: always, apply: (d) => { d.row.id_no = ''; } },
  ] },
  { group: 'name', weight: 0.2, kinds: [
    { kind: 'name.traditional', weight: 0.3, applies: (d) => [...d.row.name].some((c) => TRADITIONAL.has(c)),
      apply: (d) => { d.row.name = [...d.row.name].map((c) => TRADITIONAL.get(c) ?? c).join(''); } },
    { kind: 'name.homophone', weight: 0.35, applies: (d) => [...d.row.name.slice(d.surnameLength)].some((c) => HOMOPHONES.has(c)), apply: (d, r) => {
      const chars = [...d.row.name];
      const at = chars.map((c, i) => (i >= d.surnameLength && HOMOPHONES.has(c) ? i : -1)).filter((i) => i >= 0);
      const i = r.pick(at);
      chars[i] = r.pick(HOMOPHONES.get(chars[i])!);
      d.row.name = chars.join('');
    } },
    { kind: 'name.space', weight: 0.35, applies: always, apply: (d, r) => {
      d.row.name = d.row.name.slice(0, d.surnameLength) + (r.next() < 0.5 ? ' ' : '\u3000') + d.row.name.slice(d.surnameLength);
    } },
  ] },
  { group: 'phone', weight: 0.18, kinds: [
    { kind: 'phone.missing', weight: 0.35, applies: (d) => d.row.phone !== '', apply: (d) => { d.row.phone = ''; } },
    { kind: 'phone.typo', weight: 0.3, applies: (d) => d.row.phone !== '', apply: (d, r) => { d.row.phone = substituteDigit(d.row.phone, 3, 10, r); } },
    { kind: 'phone.format', weight: 0.35, applies: (d) => d.row.phone !== '', apply: (d, r) => {
      const p = d.row.phone, spaced = `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`;
      d.row.phone = r.pick([`+86 ${p}`, `+86 ${spaced}`, `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`, spaced]);
    } },
  ] },
  { group: 'date', weight: 0.15, kinds: [
    { kind: 'date.swapped', weight: 0.35, applies: (d) => { const [m, day] = dayMonth(d); return day <= 12 && day !== m; }, apply: (d) => {
      const b = d.row.birth_date;
      d.row.birth_date = `${b.slice(0, 4)}-${b.slice(8, 10)}-${b.slice(5, 7)}`;
    } },
    { kind: 'date.format', weight: 0.65, applies: always, apply: (d, r) => {
      const y = d.row.birth_date.slice(0, 4), [m, day] = dayMonth(d);
      d.row.birth_date = r.pick([`${y}/${m}/${day}`, d.row.birth_date.replaceAll('-', ''), `${y}年${m}月${day}日`]);
    } },
  ] },
  { group: 'address', weight: 0.21, kinds: [
    { kind: 'address.form', weight: 0.72, applies: always, apply: (d, r) => { d.row.address = r.pick(ADDRESS_FORMS)(d.address); } },
    { kind: 'address.moved', weight: 0.28, applies: always, apply: (d, r, ctx) => {
      d.address = ctx.randomAddress(r, d.address);
      d.row.address = canonicalAddress(d.address);
    } },
  ] },
];
export const ERROR_KINDS = ERROR_GROUPS.flatMap((g) => g.kinds.map((k) => k.kind));
/** Non-links are written by the same clerks: the same formatting, but nothing that changes a value. */
const DECOY_VARIANTS = new Set(['id.old15', 'id.lower_x', 'id.missing', 'phone.missing', 'phone.format', 'date.format', 'address.form']);
const OUTSIDER_VARIANTS = new Set([...DECOY_VARIANTS, 'name.traditional', 'name.space']);
const ERROR_COUNT = weighted([[0, 0.2], [1, 0.38], [2, 0.28], [3, 0.14]] as const);

/** Up to n errors on n distinct fields, each drawn from what applies to this row. */
function applyErrors(d: Draft, n: number, r: Rng, ctx: Ctx, allowed?: Set<string>): string[] {
  const done: string[] = [];
  let groups = ERROR_GROUPS.map((g) => ({ ...g, kinds: g.kinds.filter((k) => (!allowed || allowed.has(k.kind)) && k.applies(d)) })).filter((g) => g.kinds.length);
  while (done.length < n && groups.length) {
    const g = weighted(groups.map((x) => [x, x.weight] as const))(r);
    const k = weighted(g.kinds.map((x) => [x, x.weight] as const))(r);
    k.apply(d, r, ctx);
    done.push(k.kind);
    groups = groups.filter((x) => x !== g);
  }
  return done;
}

// ---- the generator ---------------------------------------------------------------------------

export function generateLinkageData(opts: { population: number; list: number; seed?: number }): LinkageData {
  const { population: nPop, list: nList } = opts;
  const nLink = Math.round(nList * LINK_SHARE), nDecoy = Math.round((nList - nLink) / 2), nOutsider = nList - nLink - nDecoy;
  if (nLink > nPop) throw new Error(`a list of ${nList} needs at least ${nLink} people in the population`);
  // syntheticIdNumber is unique per serial below a million.
  if (nPop + nList > 1_000_000) throw new Error('population + list must not exceed 1,000,000');
  const r = rng(opts.seed ?? 1);
  const compounds = buildCompounds(Math.ceil(nPop / 2.5));
  const pickCompound = weighted(compounds.map((c) => [c, c.weight] as const));
  const ctx: Ctx = {
    randomAddress: (rr, not) => {
      for (;;) {
        const c = rr.pick(compounds), a = roomAt(c, rr.int(0, c.cap - 1));
        if (!not || !sameAddress(a, not)) return a;
      }
    },
  };
  const serialOf = permutation(nPop + nList, r);
  const newRow = (key: string, i: number, p: Person, address: string): PersonRow => {
    const serial = serialOf(i);
    return { key, name: p.name, sex: p.sex === 'M' ? '男' : '女', birth_date: p.birth, id_no: syntheticIdNumber(p.birth, serial, p.sex), phone: r.next() < phoneShare(p.birth) ? phoneFor(serial) : '', address };
  };
  const newDraft = (i: number, p: Person): Draft => ({ row: newRow('', i, p, canonicalAddress(p.address)), surnameLength: surnameLength(p.name), address: p.address });

  // Population: households in registry order, each at a free room of a weighted-random compound.
  // Parallel arrays rather than an object a person: at 620,000 rows the garbage collector is most of the time.
  const population: PersonRow[] = [], addressOf: Address[] = [];
  while (population.length < nPop) {
    let c = pickCompound(r);
    while (c.used >= c.cap) c = compounds[(compounds.indexOf(c) + 1) % compounds.length];
    const address = roomAt(c, (c.used++ * c.step) % c.cap), written = canonicalAddress(address);
    for (const p of household(r, address)) {
      if (population.length >= nPop) break;
      population.push(newRow(`P${pad(population.length + 1, 7)}`, population.length, p, written));
      addressOf.push(address);
    }
  }

  // True links: distinct people, each written with 0–3 errors.
  const drafts: { d: Draft; class: ListRowClass; errors: string[]; truth?: string }[] = [];
  const chosen = new Set<number>();
  const kinds: Record<string, number> = { link: nLink, decoy: nDecoy, outsider: nOutsider, 'link.clean': 0, 'link.errors1': 0, 'link.errors2': 0, 'link.errors3': 0, 'nonlink.varied': 0 };
  for (const k of ERROR_KINDS) kinds[k] = 0;
  while (chosen.size < nLink) {
    const i = r.int(0, nPop - 1);
    if (chosen.has(i)) continue;
    chosen.add(i);
    const d: Draft = { row: { ...population[i] }, surnameLength: surnameLength(population[i].name), address: addressOf[i] };
    const errors = applyErrors(d, ERROR_COUNT(r), r, ctx);
    kinds[errors.length ? `link.errors${errors.length}` : 'link.clean']++;
    for (const e of errors) kinds[e]++;
    drafts.push({ d, class: 'link', errors, truth: population[i].key });
  }

  // Decoys: someone else with a resident's exact name and birth year; nothing else in common.
  let serial = nPop;
  for (let j = 0; j < nDecoy; j++) {
    const i = r.int(0, nPop - 1), src = population[i];
    const y = Number(src.birth_date.slice(0, 4)), swapped = `${y}-${src.birth_date.slice(8, 10)}-${src.birth_date.slice(5, 7)}`;
    let birth = src.birth_date;
    while (birth === src.birth_date || birth === swapped) birth = birthDate(r, THIS_YEAR - y, THIS_YEAR - y, THIS_YEAR);
    const d = newDraft(serial++, { name: src.name, sex: src.sex === '男' ? 'M' : 'F', birth, address: ctx.randomAddress(r, addressOf[i]) });
    const errors = applyErrors(d, ERROR_COUNT(r), r, ctx, DECOY_VARIANTS);
    if (errors.length) kinds['nonlink.varied']++;
    drafts.push({ d, class: 'decoy', errors });
  }
  // Outsiders: people the registry does not hold (recent arrivals), at addresses in the district.
  for (let j = 0; j < nOutsider; j++) {
    const sex = r.next() < 0.5 ? 'M' : 'F', age = pickAge(r, 2, 96);
    const birth = birthDate(r, age, age, THIS_YEAR);
    const p: Person = { name: SURNAME(r) + givenName(r, sex, Number(birth.slice(0, 4))), sex, birth, address: ctx.randomAddress(r) };
    const d = newDraft(serial++, p);
    const errors = applyErrors(d, ERROR_COUNT(r), r, ctx, OUTSIDER_VARIANTS);
    if (errors.length) kinds['nonlink.varied']++;
    drafts.push({ d, class: 'outsider', errors });
  }

  // Shuffle so that list order says nothing about class, then number the rows.
  for (let i = drafts.length - 1; i > 0; i--) { const j = r.int(0, i); [drafts[i], drafts[j]] = [drafts[j], drafts[i]]; }
  const list: PersonRow[] = [], truth = new Map<string, string>(), planted = new Map<string, { class: ListRowClass; errors: string[] }>();
  drafts.forEach((x, i) => {
    const key = `L${pad(i + 1, 6)}`;
    list.push({ ...x.d.row, key });
    planted.set(key, { class: x.class, errors: x.errors });
    if (x.truth) truth.set(key, x.truth);
  });
  return { population, list, truth, kinds, planted };
}

// ---- CLI -------------------------------------------------------------------------------------

const HEADER = ['key', 'name', 'sex', 'birth_date', 'id_no', 'phone', 'address'] as const;
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

function writeCsv(file: string, header: readonly string[], rows: Iterable<readonly string[]>) {
  const fd = openSync(file, 'w');
  let chunk = header.join(',') + '\n', n = 0;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) chunk += (i ? ',' : '') + csvField(row[i]);
    chunk += '\n';
    if (++n % 20000 === 0) { writeSync(fd, chunk); chunk = ''; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

function* personRows(rows: PersonRow[]) {
  for (const p of rows) yield HEADER.map((h) => p[h]);
}

export function writeLinkageData(data: LinkageData, dir: string) {
  mkdirSync(dir, { recursive: true });
  writeCsv(path.join(dir, 'population.csv'), HEADER, personRows(data.population));
  writeCsv(path.join(dir, 'list.csv'), HEADER, personRows(data.list));
  writeCsv(path.join(dir, 'truth.csv'), ['list_key', 'population_key'], data.truth);
  writeCsv(path.join(dir, 'planted.csv'), ['list_key', 'class', 'errors'], [...data.planted].map(([k, v]) => [k, v.class, v.errors.join(' ')]));
}

function summary(data: LinkageData): string {
  const { kinds } = data, lines = [`list ${data.list.length}: link ${kinds.link}, decoy ${kinds.decoy}, outsider ${kinds.outsider}`];
  const pct = (n: number) => `${((100 * n) / kinds.link).toFixed(1)}%`;
  lines.push(`links by errors: 0 ${kinds['link.clean']} (${pct(kinds['link.clean'])}), 1 ${kinds['link.errors1']}, 2 ${kinds['link.errors2']}, 3 ${kinds['link.errors3']}`);
  lines.push('| error kind | links | share of links |', '|---|---:|---:|');
  for (const k of ERROR_KINDS) lines.push(`| ${k} | ${kinds[k]} | ${pct(kinds[k])} |`);
  lines.push(`non-links written with format variants: ${kinds['nonlink.varied']}`);
  return lines.join('\n');
}

const self = fileURLToPath(import.meta.url);
if (process.argv.slice(1).some((a) => path.resolve(a) === self)) {
  const args = process.argv.slice(process.argv.findIndex((a) => path.resolve(a) === self) + 1);
  const { values } = parseArgs({ args, options: { population: { type: 'string', default: '620000' }, list: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
  if (!values.out) { console.error('usage: linkage-data.ts --population N --list N [--seed N] --out DIR'); process.exit(2); }
  const t0 = performance.now();
  const data = generateLinkageData({ population: Number(values.population), list: Number(values.list), seed: Number(values.seed) });
  const t1 = performance.now();
  writeLinkageData(data, values.out);
  const t2 = performance.now();
  console.log(summary(data));
  console.log(`population ${data.population.length}, list ${data.list.length}, seed ${values.seed}: generated in ${Math.round(t1 - t0)} ms, written in ${Math.round(t2 - t1)} ms → ${values.out}`);
}
