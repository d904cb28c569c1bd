// The catalogs: every locale has every English key (the same kinds of values), `messages` resolves
// in the current locale when read (a module's `const t = messages.walk` follows a switch), and
// numbers follow the locale. `npm run -s i18n:check` prints the same comparison.

import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGS, en, messages } from '../../../src/ui/messages/index.ts';
import { compareCatalog, leaves } from '../../../src/ui/messages/check.ts';
import { asLocale, fmt, LOCALES, setLocale } from '../../../src/ui/messages/locale.ts';
import { initialLocale } from '../../../src/ui/state/store.ts';

afterEach(() => setLocale('en'));

describe('the catalogs', () => {
  it.each(LOCALES)('%s has every English key, nothing else, with the same kinds of values', (locale) => {
    const r = compareCatalog(locale, CATALOGS[locale], en);
    expect({ missing: r.missing, extra: r.extra, mismatched: r.mismatched }).toEqual({ missing: [], extra: [], mismatched: [] });
    expect(r.keys).toBeGreaterThan(900);
  });

  it('a missing or extra key is reported (the check can fail)', () => {
    const zh = leavesAsObject(CATALOGS['zh-CN']);
    delete (zh.walk as Record<string, unknown>).gridLabel;
    (zh.walk as Record<string, unknown>).extraKey = 'x';
    const r = compareCatalog('zh-CN', zh, en);
    expect(r.missing).toContain('walk.gridLabel');
    expect(r.extra).toContain('walk.extraKey');
  });

  it('the Chinese text is Chinese: most texts carry CJK characters, none is empty', () => {
    const texts = [...leaves(CATALOGS['zh-CN'])].filter(([, l]) => l.kind === 'text').map(([k, l]) => [k, (l as { value: string }).value] as const);
    const cjk = texts.filter(([, v]) => /[\u4e00-\u9fff]/.test(v));
    expect(texts.filter(([k, v]) => v === '' && !/levels\b/.test(k)).map(([k]) => k)).toEqual([]);
    expect(cjk.length / texts.length).toBeGreaterThan(0.75);
  });
});

describe('messages resolves at read time', () => {
  const t = messages.walk; // captured at load, as the panels do
  it('follows a switch, for texts, functions, nested maps and Object.keys', () => {
    expect(t.gridLabel).toBe('Page walk');
    expect(messages.actions.load).toBe('Run and record (Ctrl+Enter)');
    setLocale('zh-CN');
    expect(t.gridLabel).toBe('页表遍历');
    expect(t.gridLabel2d(24)).toBe('二维页表遍历：24 次引用');
    expect(messages.pairs.vmexit.word).toBe('VM 退出');
    expect(Object.keys(messages.terminal.commands)).toEqual(Object.keys(en.terminal.commands));
    expect(Object.values(messages.terminal.commands)[0].help).toBe('列出所有命令，或解释其中一个。');
    expect({ ...messages.event.bits }).toEqual({ A: 'A（访问位）', D: 'D（脏位）' });
    setLocale('en');
    expect(t.gridLabel).toBe('Page walk');
  });

  it('numbers use Intl in the locale (same digits and grouping)', () => {
    expect(fmt(1234567)).toBe('1,234,567');
    setLocale('zh-CN');
    expect(fmt(1234567)).toBe('1,234,567');
    expect(messages.present.event(1234, 5678)).toBe('事件 #1,234，共 5,678 个');
  });

  it('the page opens in the link\'s language, else the saved one, else the browser\'s', () => {
    expect(initialLocale('#lesson=pagewalk&lang=zh-CN')).toBe('zh-CN');
    expect(initialLocale('#lang=en')).toBe('en');
    expect(asLocale('zh-Hans-CN')).toBe('zh-CN');
    expect(asLocale('zh-TW')).toBeUndefined();
    expect(asLocale('fr')).toBeUndefined();
    localStorage.setItem('dune-lab.lang', 'zh-CN');
    expect(initialLocale('')).toBe('zh-CN');
    localStorage.removeItem('dune-lab.lang');
  });
});

function leavesAsObject(c: unknown): Record<string, unknown> {
  // A plain copy (functions kept by reference) the test can edit.
  const copy = (v: unknown): unknown => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v);
  return copy(c) as Record<string, unknown>;
}

describe('the exercises in Chinese', () => {
  it('every kind\'s prompt, format, explanation and hint render in Chinese from the engine\'s keys', async () => {
    const { problem, solve, EXERCISE_KINDS } = await import('../../../src/engine/course/exercises/index.ts');
    setLocale('zh-CN');
    for (const kind of EXERCISE_KINDS) {
      const p = problem(kind, 'zh-test'), s = solve(p);
      for (const t of [p.text.prompt, p.text.format, s.text.explanation, s.text.hint]) {
        const said = messages.course.text[t.key](t.params);
        expect(said, `${kind} ${t.key}`).toMatch(/[\u4e00-\u9fff]|^[a-z ,、或]+$/);
        expect(said, `${kind} ${t.key}`).not.toMatch(/undefined|NaN|\[object/);
      }
    }
  }, 120_000);
});

describe('assembler diagnostics in the UI\'s language', () => {
  it('keyed messages are said in Chinese in check\'s layout; the English is the CLI\'s, unchanged', async () => {
    const { assemble, formatAsmErrors } = await import('../../../src/engine/asm/index.ts');
    const { sayAsmErrors } = await import('../../../src/ui/messages/asmText.ts');
    const r = assemble('_start:\n    mvo rax, 1\n    mov rax, [nosuch]\n    .dtaa\n', 'p.s');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(sayAsmErrors(r.errors)).toBe(formatAsmErrors(r.errors));
    expect(formatAsmErrors(r.errors)).toContain("p.s:2:5: error: unknown instruction 'mvo'\n    mvo rax, 1\n    ^~~\n  hint: did you mean 'mov'?");
    setLocale('zh-CN');
    const zh = sayAsmErrors(r.errors);
    expect(zh).toContain("p.s:2:5: 错误: 未知指令 'mvo'\n    mvo rax, 1\n    ^~~\n  提示: 你是想写 'mov' 吗？");
    expect(zh).toContain("未知符号 'nosuch'");
    expect(zh).toContain("未知伪指令 '.dtaa'");
  });
});
