import { describe, it, expect } from 'vitest';
import { decode, edit, emptyLine, type EditInput, type EditState, type EditEnv } from '../../../src/ui/terminal/lineEditor.ts';

const env: EditEnv = { history: [] };
/** Apply inputs and return the final result; `screen` replays the echo on a one-row model. */
function run(inputs: EditInput[], e: EditEnv = env, s: EditState = emptyLine(e.history)) {
  let echo = '';
  let r = { state: s, echo: '' } as ReturnType<typeof edit>;
  for (const i of inputs) { r = edit(r.state, i, e); echo += r.echo; }
  return { ...r, all: echo };
}
/** A one-row terminal: applies text, CSI n C/D, CSI K, \b. */
function screen(echo: string) {
  const row: string[] = [];
  let x = 0;
  for (let i = 0; i < echo.length;) {
    const m = /^\x1b\[(\d*)([CDK])/.exec(echo.slice(i));
    if (m) {
      const n = Number(m[1] || 1);
      if (m[2] === 'C') x += n; else if (m[2] === 'D') x -= n; else row.length = x;
      i += m[0].length;
    } else { row[x++] = echo[i++]; }
  }
  return { text: row.join('').replace(/\s+$/, ''), x };
}
const typed = (s: string): EditInput => ({ text: s });

describe('line editor', () => {
  it('inserts printable text at the cursor and redraws the tail', () => {
    const r = run([typed('helo'), 'ArrowLeft', typed('l')]);
    expect(r.state).toMatchObject({ line: 'hello', cursor: 4 });
    expect(screen(r.all)).toEqual({ text: 'hello', x: 4 });
  });
  it('Backspace and Delete remove around the cursor', () => {
    const r = run([typed('abcd'), 'ArrowLeft', 'ArrowLeft', 'Backspace', 'Delete']);
    expect(r.state).toMatchObject({ line: 'ad', cursor: 1 });
    expect(screen(r.all)).toEqual({ text: 'ad', x: 1 });
    expect(run(['Backspace']).echo).toBe('');
    expect(run([typed('a'), 'Delete']).state.line).toBe('a');
  });
  it('ArrowLeft/Right stop at the ends; Home/End and Ctrl-A/E jump', () => {
    expect(run([typed('ab'), 'ArrowRight']).state.cursor).toBe(2);
    expect(run([typed('ab'), 'ArrowLeft', 'ArrowLeft', 'ArrowLeft']).state.cursor).toBe(0);
    for (const [k, want] of [['Home', 0], ['Ctrl-A', 0]] as const) {
      const r = run([typed('abc'), k]);
      expect(r.state.cursor).toBe(want);
      expect(screen(r.all).x).toBe(want);
    }
    for (const k of ['End', 'Ctrl-E'] as const) {
      const r = run([typed('abc'), 'Home', k]);
      expect(r.state.cursor).toBe(3);
      expect(screen(r.all).x).toBe(3);
    }
  });
  it('Ctrl-K kills to the end, Ctrl-U to the start, Ctrl-W the word before', () => {
    let r = run([typed('run a.s --trace'), 'Home', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Ctrl-K']);
    expect(r.state.line).toBe('run');
    expect(screen(r.all).text).toBe('run');
    r = run([typed('run a.s'), 'ArrowLeft', 'ArrowLeft', 'Ctrl-U']);
    expect(r.state).toMatchObject({ line: '.s', cursor: 0 });
    expect(screen(r.all)).toEqual({ text: '.s', x: 0 });
    r = run([typed('run a.s  '), 'Ctrl-W']);
    expect(r.state).toMatchObject({ line: 'run ', cursor: 4 });
    expect(screen(r.all).text).toBe('run');
  });
  it('ArrowUp/Down browse the history and come back to the draft', () => {
    const e = { history: ['ls', 'run /samples/hello-linux.s'] };
    let r = run([typed('dr'), 'ArrowUp'], e);
    expect(r.state.line).toBe('run /samples/hello-linux.s');
    r = run([typed('dr'), 'ArrowUp', 'ArrowUp', 'ArrowUp'], e);
    expect(r.state.line).toBe('ls');
    expect(screen(r.all)).toEqual({ text: 'ls', x: 2 });
    r = run([typed('dr'), 'ArrowUp', 'ArrowUp', 'ArrowDown', 'ArrowDown'], e);
    expect(r.state.line).toBe('dr');
    expect(screen(r.all)).toEqual({ text: 'dr', x: 2 });
    expect(run(['ArrowDown'], e).echo).toBe('');
  });
  it('Tab completes a single candidate, the common prefix, or lists the choices', () => {
    const complete = (line: string, cursor: number) => {
      const from = line.lastIndexOf(' ', cursor - 1) + 1;
      const w = line.slice(from, cursor);
      return { from, candidates: ['run', 'regs', 'reset', 'samples/'].filter((c) => c.startsWith(w)) };
    };
    const e = { history: [], complete };
    expect(run([typed('ru'), 'Tab'], e).state.line).toBe('run ');
    expect(run([typed('sa'), 'Tab'], e).state.line).toBe('samples/');
    const r = run([typed('re'), 'Tab'], e);
    expect(r.state.line).toBe('re');
    expect(r.choices).toEqual(['regs', 'reset']);
    expect(run([typed('zz'), 'Tab'], e).echo).toBe('\x07');
    expect(run([typed('x'), 'Tab']).echo).toBe('');
  });
  it('Enter submits the line from any cursor position; Ctrl-C drops it', () => {
    const r = run([typed('ls /home'), 'Home', 'Enter']);
    expect(r.submit).toBe('ls /home');
    expect(r.state.line).toBe('');
    expect(r.echo.endsWith('\r\n')).toBe(true);
    const c = run([typed('oops'), 'Ctrl-C']);
    expect(c.interrupt).toBe(true);
    expect(c.echo).toContain('^C');
    expect(c.state.line).toBe('');
    expect(run(['Ctrl-L']).clear).toBe(true);
  });
  it('paste inserts at the cursor, without control characters', () => {
    const r = run([typed('ad'), 'ArrowLeft', typed('b\tc\x07')]);
    expect(r.state).toMatchObject({ line: 'ab cd', cursor: 4 });
    expect(screen(r.all)).toEqual({ text: 'ab cd', x: 4 });
  });
  it('decodes what xterm sends', () => {
    expect(decode('ab\x1b[D\x1b[C\x1b[A\x1b[B\x1b[H\x1b[F\x1bOH\x1b[3~\x7f\t\r')).toEqual([
      { text: 'ab' }, 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'Home', 'Delete', 'Backspace', 'Tab', 'Enter']);
    expect(decode('\x01\x05\x0b\x15\x17\x03\x0c')).toEqual(['Ctrl-A', 'Ctrl-E', 'Ctrl-K', 'Ctrl-U', 'Ctrl-W', 'Ctrl-C', 'Ctrl-L']);
    expect(decode('ls\r\ncat x\r')).toEqual([{ text: 'ls' }, 'Enter', { text: 'cat x' }, 'Enter']);
    expect(decode('\x1b[15~a')).toEqual([{ text: 'a' }]);
  });
});
