import { describe, expect, it } from 'vitest';
import {
  applySaveResult, createModel, handleKeys, isDirty, parseKeys, textOf, type EditorModel, type Effect,
} from '../../../src/ui/editor/editorModel.ts';

const typeIn = (m: EditorModel, data: string) => handleKeys(m, parseKeys(data));
const model = (text: string, o: Partial<{ width: number; height: number; path: string; readonly: boolean }> = {}) =>
  createModel({ path: o.path ?? '/home/t.s', text, width: o.width ?? 40, height: o.height ?? 8, readonly: o.readonly });

describe('parseKeys', () => {
  it('reads characters, controls and escape sequences', () => {
    expect(parseKeys('a\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1bOH\x1b[5~\x1b[6~\x1b[3~\x7f\r\x13\x11')).toEqual([
      { kind: 'char', ch: 'a' }, { kind: 'up' }, { kind: 'down' }, { kind: 'right' }, { kind: 'left' }, { kind: 'home' },
      { kind: 'end' }, { kind: 'home' }, { kind: 'pgup' }, { kind: 'pgdn' }, { kind: 'delete' }, { kind: 'backspace' },
      { kind: 'enter' }, { kind: 'ctrl', ch: 's' }, { kind: 'ctrl', ch: 'q' },
    ]);
    expect(parseKeys('x\r\ny🚀')).toEqual([{ kind: 'char', ch: 'x' }, { kind: 'enter', pasted: true }, { kind: 'char', ch: 'y' }, { kind: 'char', ch: '🚀' }]);
    expect(parseKeys('\r')).toEqual([{ kind: 'enter' }]); // a typed Enter
    // Typed Enter auto-indents; pasted lines keep their own indentation (no staircase).
    let p = typeIn(model('    mov rax, 1'), '\x1b[F').model;
    p = typeIn(p, '\r').model;
    expect(p.lines).toEqual(['    mov rax, 1', '    ']);
    p = typeIn(typeIn(model('    mov rax, 1'), '\x1b[F').model, '\r    mov rdi, 2\r    syscall').model;
    expect(p.lines).toEqual(['    mov rax, 1', '    mov rdi, 2', '    syscall']);
    expect(parseKeys('\x1b')).toEqual([{ kind: 'escape' }]);
  });
});

describe('editor model', () => {
  it('types text, splits lines with auto-indent and is dirty', () => {
    let m = model('');
    for (const k of ['    mov rax, 1', '\r', 'ret']) m = typeIn(m, k).model; // typed: Enter arrives alone
    expect(m.lines).toEqual(['    mov rax, 1', '    ret']);
    expect([m.row, m.col]).toEqual([1, 7]);
    expect(isDirty(m)).toBe(true);
  });

  it('moves with arrows, home and end; up/down keep the goal column', () => {
    let m = model('abcdef\nab\nabcdef');
    m = typeIn(m, '\x1b[F').model; expect(m.col).toBe(6);
    m = typeIn(m, '\x1b[B').model; expect([m.row, m.col]).toEqual([1, 2]);
    m = typeIn(m, '\x1b[B').model; expect([m.row, m.col]).toEqual([2, 6]);
    m = typeIn(m, '\x1b[H').model; expect(m.col).toBe(0);
    m = typeIn(m, '\x1b[D').model; expect([m.row, m.col]).toEqual([1, 2]); // left at line start: end of previous
    m = typeIn(m, '\x1b[C').model; expect([m.row, m.col]).toEqual([2, 0]);
    m = typeIn(m, '\x1b[A\x1b[A\x1b[A').model; expect(m.row).toBe(0);
    expect(isDirty(m)).toBe(false);
  });

  it('pgdn/pgup move by a screen and scroll', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
    let m = model(text, { height: 8 }); // 5 text rows
    m = typeIn(m, '\x1b[6~').model;
    expect(m.row).toBe(5); expect(m.top).toBe(5);
    m = typeIn(m, '\x1b[6~\x1b[6~').model;
    expect(m.row).toBe(15);
    expect(m.row >= m.top && m.row < m.top + 5).toBe(true);
    m = typeIn(m, '\x1b[5~').model;
    expect(m.row).toBe(10); expect(m.top).toBe(10);
    for (let i = 0; i < 20; i++) m = typeIn(m, '\x1b[6~').model;
    expect(m.row).toBe(49); expect(m.top).toBe(45);
  });

  it('backspace at a line start joins the lines; delete at the end too', () => {
    let m = model('abc\ndef');
    m = typeIn(m, '\x1b[B\x7f').model;
    expect(m.lines).toEqual(['abcdef']); expect([m.row, m.col]).toEqual([0, 3]);
    m = typeIn(m, '\x7f').model; expect(m.lines).toEqual(['abdef']);
    m = model('abc\ndef');
    m = typeIn(m, '\x1b[F\x1b[3~').model; expect(m.lines).toEqual(['abcdef']);
    m = typeIn(model('x'), '\x1b[F\x7f\x7f').model; expect(m.lines).toEqual(['']);
  });

  it('Ctrl-S emits a save; the check errors show at their lines', () => {
    let m = model('mov rax, 1\nmvo rbx, 2\nret');
    m = typeIn(m, 'x').model;
    const s = typeIn(m, '\x13');
    expect(s.effects).toEqual([{ kind: 'save', path: '/home/t.s', text: 'xmov rax, 1\nmvo rbx, 2\nret\n', version: 1 }]);
    m = s.model;
    expect(m.saving).toBe(true);
    const r = applySaveResult(m, { ok: true, path: '/home/t.s', version: 1, errors: [{ line: 2, col: 1, message: "unknown mnemonic 'mvo'" }] });
    m = r.model;
    expect(r.effects).toEqual([]);
    expect(isDirty(m)).toBe(false);
    expect(m.status).toBe("Saved /home/t.s. 1 error; first: line 2:1: unknown mnemonic 'mvo'");
    m = typeIn(m, '\x1b[B').model; // the cursor on the line shows its message
    expect(m.status).toBe("line 2:1: unknown mnemonic 'mvo'");
    // A line inserted above moves the error down with its line.
    m = typeIn(m, '\x1b[A\x1b[H\r').model;
    expect(m.errors[0].line).toBe(3);
  });

  it('a failed save says why and stays dirty', () => {
    let m = typeIn(model('a'), 'b\x13').model;
    m = applySaveResult(m, { ok: false, error: 'disk full' }).model;
    expect(m.status).toBe('Not saved: disk full');
    expect(isDirty(m)).toBe(true);
    expect(m.saving).toBe(false);
  });

  it('Ctrl-Q quits at once when clean; asks when there are unsaved changes', () => {
    expect(typeIn(model('a'), '\x11').effects).toEqual([{ kind: 'quit', saved: false }]);
    let s = typeIn(model('a'), 'b\x11');
    expect(s.effects).toEqual([]);
    expect(s.model.mode).toEqual({ kind: 'confirm-quit' });
    expect(s.model.status).toMatch(/Save changes to \/home\/t.s\? \(y\)es {2}\(n\)o {2}\(c\)ancel/);
    // cancel
    let c = typeIn(s.model, 'c');
    expect(c.model.mode.kind).toBe('edit'); expect(c.effects).toEqual([]);
    c = typeIn(s.model, '\x1b');
    expect(c.model.mode.kind).toBe('edit');
    // no: quit without saving
    expect(typeIn(s.model, 'n').effects).toEqual([{ kind: 'quit', saved: false }]);
    // yes: save, then quit once saved
    s = typeIn(s.model, 'y');
    expect(s.effects.map((e: Effect) => e.kind)).toEqual(['save']);
    const done = applySaveResult(s.model, { ok: true, path: '/home/t.s', version: 1, errors: [] });
    expect(done.effects).toEqual([{ kind: 'quit', saved: true }]);
    // yes, but the save fails: stay
    const failed = applySaveResult(s.model, { ok: false, error: 'x' });
    expect(failed.effects).toEqual([]);
  });

  it('Ctrl-F finds (case-insensitive, wrapping); Ctrl-G goes to a line', () => {
    let m = model('mov rax, 1\nsyscall\nMOV rbx, 2\nret');
    m = typeIn(m, '\x06mov\r').model;
    expect([m.row, m.col]).toEqual([2, 0]);
    m = typeIn(m, '\x06\r').model; // the last search again, wraps
    expect([m.row, m.col]).toEqual([0, 0]);
    expect(m.status).toBe('Search wrapped around');
    m = typeIn(m, '\x06\x15zzz\r').model;
    expect(m.status).toBe('"zzz" not found');
    m = typeIn(m, '\x073\r').model;
    expect(m.row).toBe(2);
    m = typeIn(m, '\x0799\r').model;
    expect(m.row).toBe(3);
    m = typeIn(m, '\x07abc\r').model;
    expect(m.status).toBe('not a line number: abc');
    m = typeIn(m, '\x07\x1b').model;
    expect(m.mode.kind).toBe('edit');
  });

  it('a read-only file: Ctrl-S asks for a /home path and saves there', () => {
    let m = model('nop', { path: '/samples/hello.s', readonly: true });
    m = typeIn(m, 'x').model;
    let s = typeIn(m, '\x13');
    expect(s.effects).toEqual([]);
    expect(s.model.mode).toMatchObject({ kind: 'prompt', prompt: 'saveas', input: '/home/hello.s' });
    s = typeIn(s.model, '\r');
    expect(s.effects).toEqual([{ kind: 'save', path: '/home/hello.s', text: 'xnop\n', version: 1 }]);
    m = applySaveResult(s.model, { ok: true, path: '/home/hello.s', version: 1, errors: [] }).model;
    expect(m.path).toBe('/home/hello.s'); expect(m.readonly).toBe(false);
  });

  it('keeps the text and the final newline', () => {
    expect(textOf(model('a\nb\n'))).toBe('a\nb');
    expect(model('a\r\nb').lines).toEqual(['a', 'b']);
  });
});
