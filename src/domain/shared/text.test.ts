import * as v from 'valibot';
import { hasUnsafeChars, safeText } from './text';

const note = safeText('备注', 20, { multiline: true });
const name = safeText('名称', 10, { min: 2 });

describe('safeText', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['BEL', 'a\u0007b'],
    ['ESC', 'a\u001bb'],
    ['vertical tab', 'a\u000bb'],
    ['DEL', 'a\u007fb'],
    ['C1 NEL', 'a\u0085b'],
    ['C1 CSI', 'a\u009bb'],
    ['RLO', '退款\u202e00.001'],
    ['LRO', 'a\u202db'],
    ['RLE', 'a\u202bb'],
    ['PDF', 'a\u202cb'],
    ['RLI', 'a\u2067b'],
    ['PDI', 'a\u2069b'],
    ['FSI', 'a\u2068b'],
    ['LRM', 'a\u200eb'],
    ['RLM', 'a\u200fb'],
    ['ALM', 'a\u061cb'],
    ['line separator', 'a\u2028b'],
    ['paragraph separator', 'a\u2029b'],
    ['lone high surrogate', 'a\ud83db'],
    ['lone low surrogate', 'a\ude00b'],
  ])('refuses %s in multi-line and single-line text', (_label, text) => {
    const r = v.safeParse(note, text);
    expect(r.success).toBe(false);
    expect(r.issues?.[0].message).toMatch(/备注含有不可见的控制字符/);
    expect(v.safeParse(name, text).success).toBe(false);
  });

  it('keeps tab and line breaks in multi-line text, CRLF and CR stored as LF', () => {
    expect(v.parse(note, '第一行\r\n第二行\r第三\t行')).toBe('第一行\n第二行\n第三\t行');
  });

  it('refuses line breaks and tabs in single-line text', () => {
    expect(v.safeParse(name, '张\n三').success).toBe(false);
    expect(v.safeParse(name, '张\t三').success).toBe(false);
    expect(v.safeParse(name, '张\r三').success).toBe(false);
  });

  it('trims, then counts', () => {
    expect(v.parse(name, '  咖啡券  ')).toBe('咖啡券');
    expect(v.safeParse(name, '  咖  ').issues?.[0].message).toBe('请填写名称');
    expect(v.safeParse(name, '一二三四五六七八九十一').issues?.[0].message).toBe(
      '名称最多 10 个字',
    );
    expect(v.safeParse(name, 42).issues?.[0].message).toBe('名称必须是文字');
  });

  it('accepts Chinese, emoji (with ZWJ sequences), full-width punctuation and other scripts', () => {
    for (const ok of [
      '老人今天精神很好！',
      '👨‍👩‍👧 一家三口',
      'Café（二楼）',
      'مرحبا',
      '①号楼·3单元',
    ]) {
      expect(hasUnsafeChars(ok)).toBe(false);
      expect(v.safeParse(safeText('x', 40), ok).success).toBe(true);
    }
  });

  it('refuses a hostile character whatever its position, trimmed or not', () => {
    for (const text of ['\u202e开头', '结尾\u0000', ' \u200f ', '\u0000'])
      expect(v.safeParse(note, text).success).toBe(false);
  });
});
