import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckChar, isValidIdNumber } from '../../server/src/core/identity.js';
import {
  damerauLevenshtein, dayMonthSwapped, parseAddress, sameYearMonth, standardiseDate, standardiseIdNumber, standardiseName, standardisePhone,
} from '../../server/src/modules/brain/linkage/standardise.js';

// Area codes 329xxx are unallocated, as in the seed's synthetic IDs.
const id18 = (first17: string) => first17 + idCheckChar(first17);

describe('ID numbers', () => {
  it('converts a 15-digit old number to 18 digits with a valid check digit', () => {
    const r = standardiseIdNumber('329902850307123');
    expect(r.value).toBe(id18('32990219850307123'));
    expect(isValidIdNumber(r.value!)).toBe(true);
    expect(r).toMatchObject({ valid: true, birthDate: '1985-03-07', sex: 'M' });
  });
  it('upper-cases x and strips spaces and full-width digits', () => {
    expect(standardiseIdNumber(' 11010519491231002x ').value).toBe('11010519491231002X');
    expect(standardiseIdNumber('１１０１０５ １９４９１２３１００２Ｘ')).toMatchObject({ value: '11010519491231002X', valid: true, sex: 'F' });
  });
  it('keeps a mistyped check digit, flagged invalid', () => {
    expect(standardiseIdNumber('110105194912310021')).toMatchObject({ value: '110105194912310021', valid: false, birthDate: '1949-12-31' });
  });
  it('flags an impossible birth date, and gives null for a wrong length', () => {
    const feb30 = id18('32990219850230123');
    expect(standardiseIdNumber(feb30)).toMatchObject({ value: feb30, valid: false, birthDate: null });
    expect(standardiseIdNumber('3299021985030712')).toEqual({ value: null, valid: false, birthDate: null, sex: null });
    expect(standardiseIdNumber(null).value).toBeNull();
  });
  it('is the identity on an already-standard 18-digit ID', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{17}$/), fc.boolean(), (first17, mistype) => {
      const check = idCheckChar(first17);
      const id = first17 + (mistype ? (check === '0' ? '1' : '0') : check);
      const r = standardiseIdNumber(id);
      expect(r.value).toBe(id);
      expect(r.valid).toBe(isValidIdNumber(id));
      expect(standardiseIdNumber(r.value).value).toBe(id);
    }));
  });
});

describe('names', () => {
  it('simplifies traditional characters; pinyin equals the simplified form\'s', () => {
    const t = standardiseName('張偉'), s = standardiseName('张伟');
    expect(t.simplified).toBe('张伟');
    expect(t.pinyin).toBe('zhangwei');
    expect(t).toEqual(s);
  });
  it('homophones share pinyin but not characters', () => {
    const a = standardiseName('张伟'), b = standardiseName('章伟');
    expect(a.pinyin).toBe(b.pinyin);
    expect(a.simplified).not.toBe(b.simplified);
  });
  it('recognises compound surnames, including from traditional characters', () => {
    expect(standardiseName('欧阳锋')).toMatchObject({ surname: '欧阳', surnamePinyin: 'ouyang', pinyin: 'ouyangfeng' });
    expect(standardiseName('歐陽鋒').surname).toBe('欧阳');
    expect(standardiseName('诸葛亮')).toMatchObject({ surname: '诸葛', surnamePinyin: 'zhuge' });
    expect(standardiseName('王小明')).toMatchObject({ surname: '王', surnamePinyin: 'wang' });
  });
  it('reads a polyphonic surname as a surname', () => {
    expect(standardiseName('单雄信').surnamePinyin).toBe('shan');
    expect(standardiseName('曾国藩').surnamePinyin).toBe('zeng');
  });
  it('cleans spaces, full-width letters and middle-dot variants', () => {
    const forms = ['阿卜杜·热合曼', '阿卜杜•热合曼', '阿卜杜.热合曼', '阿卜杜．热合曼', '阿卜杜・热合曼', ' 阿卜杜 · 热合曼 '];
    for (const f of forms) expect(standardiseName(f).simplified).toBe('阿卜杜·热合曼');
    expect(standardiseName('阿卜杜热合曼').pinyin).toBe(standardiseName('阿卜杜·热合曼').pinyin);
    expect(standardiseName('张　伟').simplified).toBe('张伟');
    expect(standardiseName('Ｊｏｈｎ Smith')).toMatchObject({ simplified: 'JohnSmith', pinyin: 'johnsmith', surname: '' });
  });
  it('writes ü as v', () => {
    expect(standardiseName('吕布').pinyin).toBe('lvbu');
  });
});

describe('phones', () => {
  it('removes +86 / 0086 / 86, spaces, dashes and full-width digits', () => {
    for (const p of ['+86 138-1234-5678', '0086 13812345678', '8613812345678', '138 1234 5678', '１３８１２３４５６７８', '(+86)138-1234-5678'])
      expect(standardisePhone(p)).toEqual({ value: '13812345678', valid: true });
  });
  it('keeps a landline as digits, invalid as a mobile', () => {
    expect(standardisePhone('0515-88881234')).toEqual({ value: '051588881234', valid: false });
  });
  it('takes the first mobile of several, and null for nothing', () => {
    expect(standardisePhone('0515-88881234/13912345678')).toEqual({ value: '13912345678', valid: true });
    expect(standardisePhone('')).toEqual({ value: null, valid: false });
    expect(standardisePhone(null)).toEqual({ value: null, valid: false });
  });
  it('does not strip 86 from a number that is not a mobile after it', () => {
    expect(standardisePhone('86123456').value).toBe('86123456');
  });
});

describe('dates', () => {
  it('reads the forms the data hub reads', () => {
    for (const d of ['1985-03-07', '1985/3/7', '19850307', '1985年3月7日', '１９８５-０３-０７', 31113]) expect(standardiseDate(d)).toBe('1985-03-07');
    expect(standardiseDate('1985-02-30')).toBeNull();
    expect(standardiseDate('')).toBeNull();
  });
  it('detects day and month swapped', () => {
    expect(dayMonthSwapped('1985-03-07', '1985-07-03')).toBe(true);
    expect(dayMonthSwapped('1985-03-07', '1986-07-03')).toBe(false);
    expect(dayMonthSwapped('1985-03-03', '1985-03-03')).toBe(false);
    expect(dayMonthSwapped('1985-03-07', '1985-03-08')).toBe(false);
    expect(dayMonthSwapped(null, '1985-07-03')).toBe(false);
  });
  it('compares year and month', () => {
    expect(sameYearMonth('1985-03-07', '1985-03-28')).toBe(true);
    expect(sameYearMonth('1985-03-07', '1985-04-07')).toBe(false);
    expect(sameYearMonth(null, null)).toBe(false);
  });
});

describe('addresses', () => {
  const home = { compound: '橡树湾', building: '3', unit: '2', room: '502' };
  it.each([
    ['盐南高新区黄海街道橡树湾小区3幢2单元502室', '黄海街道'],
    ['橡树湾3-2-502', null],
    ['橡树湾3栋2单元502', null],
    ['橡树湾小区3号楼2单元502', null],
    ['黄海街道橡树湾3#2-502', '黄海街道'],
    ['橡树湾小区３幢２单元５０２室', null],
    ['黄海街道橡树湾三幢二单元五零二室', '黄海街道'],
    ['江苏省盐城市盐南高新区橡树湾小区3幢2单元502室', null],
    ['黄海街道解放路88号橡树湾小区3幢2单元502室', '黄海街道'],
    ['橡树湾 3 - 2 - 502', null],
  ])('%s', (raw, street) => {
    expect(parseAddress(raw)).toEqual({ street, ...home });
  });
  it('leaves missing parts null', () => {
    expect(parseAddress('黄海街道橡树湾小区')).toEqual({ street: '黄海街道', compound: '橡树湾', building: null, unit: null, room: null });
    expect(parseAddress('橡树湾十二幢')).toEqual({ street: null, compound: '橡树湾', building: '12', unit: null, room: null });
    expect(parseAddress('橡树湾3-502')).toEqual({ street: null, compound: '橡树湾', building: '3', unit: null, room: '502' });
    expect(parseAddress('')).toEqual({ street: null, compound: null, building: null, unit: null, room: null });
  });
  it('does not read a 社区 name as a district prefix', () => {
    expect(parseAddress('橡树湾社区3幢').compound).toBe('橡树湾社区');
  });
});

describe('Damerau–Levenshtein', () => {
  it('counts edits, one transposition as 1, Chinese characters as one', () => {
    expect(damerauLevenshtein('', '')).toBe(0);
    expect(damerauLevenshtein('abc', '')).toBe(3);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('13812345678', '13812345687')).toBe(1);
    expect(damerauLevenshtein('张伟明', '张明伟')).toBe(1);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3); // optimal string alignment: no edit of a transposed pair
  });
  it('caps at max + 1', () => {
    expect(damerauLevenshtein('abcdefgh', 'hgfedcba', 2)).toBe(3);
    expect(damerauLevenshtein('a', 'abcdef', 1)).toBe(2);
    expect(damerauLevenshtein('ab', 'ba', 1)).toBe(1);
  });
  const str = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '张', '伟'), maxLength: 10 });
  it('is symmetric, and a transposition of adjacent different characters is 1', () => {
    fc.assert(fc.property(str, str, (a, b) => damerauLevenshtein(a, b) === damerauLevenshtein(b, a)));
    fc.assert(fc.property(str, fc.nat(), (a, k) => {
      const s = [...a];
      if (s.length < 2) return true;
      const i = k % (s.length - 1);
      if (s[i] === s[i + 1]) return true;
      [s[i], s[i + 1]] = [s[i + 1], s[i]];
      return damerauLevenshtein(a, s.join('')) === 1;
    }));
  });
  it('with a cap equals the uncapped distance, capped', () => {
    fc.assert(fc.property(str, str, fc.nat({ max: 4 }), (a, b, max) => damerauLevenshtein(a, b, max) === Math.min(damerauLevenshtein(a, b), max + 1)));
  });
});
