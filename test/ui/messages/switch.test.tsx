// The page speaks the UI's language everywhere: components read the catalog through `messages`
// (never an English area file), words shown beside glyphs keep the glyph, and the views of the
// merged branches (Wedge, sandbox, heap) and their helpers render in Chinese after a switch.

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en, messages } from '../../../src/ui/messages/index.ts';
import { setLocale } from '../../../src/ui/messages/locale.ts';
import { ShortcutsToggle } from '../../../src/ui/a11y/ShortcutsToggle.tsx';
import { MarksList } from '../../../src/ui/code/MarksList.tsx';

afterEach(() => { cleanup(); setLocale('en'); });

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('the UI reads its words in the current language', () => {
  it('no module outside the catalog imports an English area file (it would stay English)', () => {
    // index.ts resolves per locale; locale.ts and useLocale.ts hold no words; asmText.ts, reportText.ts and
    // noteText.ts say keyed diagnostics, reports and kernel notes, through index.ts.
    const allowed = /messages\/(index|locale|useLocale|asmText|reportText|noteText)\.ts'/;
    const files = sources('src/ui');
    expect(files.length).toBeGreaterThan(100);
    const bad = files.filter((p) => !p.startsWith(join('src', 'ui', 'messages')))
      .flatMap((p) => readFileSync(p, 'utf8').split('\n').filter((l) => /from '[./]*messages\/[A-Za-z0-9-]+\.ts'/.test(l) && !allowed.test(l)).map((l) => `${p}: ${l.trim()}`));
    expect(bad).toEqual([]);
  });

  it('no toLocaleString with a fixed locale in the UI (numbers go through fmt)', () => {
    const bad = sources('src/ui').filter((p) => /toLocaleString\(\s*'/.test(readFileSync(p, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('each sandbox verdict starts with the same glyph in every language (the strip\'s marks show it)', () => {
    const glyphs = (v: Record<string, string>) => Object.fromEntries(Object.entries(v).map(([k, s]) => [k, [...s][0]]));
    const english = glyphs(en.sandbox.verdict);
    setLocale('zh-CN');
    expect(glyphs({ ...messages.sandbox.verdict })).toEqual(english);
    expect(messages.sandbox.verdict.denied).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the single-key switch and the marked lines follow a switch to Chinese', () => {
    setLocale('zh-CN');
    render(<><ShortcutsToggle /><MarksList items={[{ line: 3, kinds: ['current', 'breakpoint'], text: 'mov rax, 1' }]} onGo={() => {}} onRemoveBreakpoint={() => {}} /></>);
    expect(screen.getByRole('checkbox', { name: '单键快捷键' })).toBeTruthy();
    expect(screen.getByRole('listbox', { name: messages.code.marksLabel }).textContent).toContain('第 3 行');
    expect(messages.code.marksLabel).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the heap, Wedge and sandbox words and numbers in Chinese', () => {
    setLocale('zh-CN');
    expect(messages.heap.summary('dune-dirty', 38, 16384, 'guest')).toBe('模式 dune-dirty：预留 16,384 个块，其中 38 个在使用；各位读自 libdune 的客户页表。');
    expect(messages.heap.counts({ clean: 1, dbit: 15 })).toBe('未写 1，D 位 15');
    expect(messages.wedge.copied(1234)).toBe('到目前为止已复制回 1,234 页。');
    expect(messages.sandbox.at(122238)).toBe('事件 122,238');
    expect(messages.code.untitled('program.s')).toBe('program.s（尚未保存）');
  });
});
