// The terminal's line editing as a pure state machine (no DOM, no xterm): a key and the state go
// in, the new state and the ANSI text that makes the screen match come out. Assumes the line fits
// on one terminal row (the cursor moves with CSI n C / CSI n D, which do not cross rows).

/** The keys the editor understands; anything printable arrives as { text }. */
export type EditKey =
  | 'Enter' | 'Backspace' | 'Delete' | 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown'
  | 'Home' | 'End' | 'Tab' | 'Ctrl-A' | 'Ctrl-E' | 'Ctrl-K' | 'Ctrl-U' | 'Ctrl-W' | 'Ctrl-C' | 'Ctrl-L';
export type EditInput = EditKey | { text: string };

export interface EditState {
  line: string;
  cursor: number;
  /** Position in the history while browsing it with the arrows (history.length: not browsing). */
  hist: number;
  /** The line being typed before browsing started, restored by ArrowDown past the newest entry. */
  draft: string;
}

/** What Tab completion offers: the candidates for the word that starts at `from`. */
export interface Completion { from: number; candidates: string[] }

export interface EditEnv {
  history: readonly string[];
  complete?: (line: string, cursor: number) => Completion;
}

export interface EditResult {
  state: EditState;
  /** Text for the terminal (ANSI). */
  echo: string;
  /** Enter: the line to run. */
  submit?: string;
  /** Ctrl-C on the line (nothing running): the line was dropped. */
  interrupt?: boolean;
  /** Ctrl-L: the owner should clear the screen and redraw the prompt and line. */
  clear?: boolean;
  /** Tab with several candidates: the owner prints them, then the prompt and the line again. */
  choices?: string[];
}

export const emptyLine = (history: readonly string[] = []): EditState => ({ line: '', cursor: 0, hist: history.length, draft: '' });

const CSI = '\x1b[';
const left = (n: number) => (n > 0 ? `${CSI}${n}D` : '');
const right = (n: number) => (n > 0 ? `${CSI}${n}C` : '');

/** Replace the line by `line` with the cursor at `cursor`, redrawing from the first changed
 *  column only (the tail moves, the head stays). */
function redraw(s: EditState, line: string, cursor: number, extra: Partial<EditState> = {}): EditResult {
  let same = 0;
  while (same < s.line.length && same < line.length && s.line[same] === line[same]) same++;
  const from = Math.min(same, s.cursor, cursor);
  const echo = left(s.cursor - from) + line.slice(from) + (line.length < s.line.length ? `${CSI}K` : '') + left(line.length - cursor);
  return { state: { ...s, line, cursor, ...extra }, echo };
}
const move = (s: EditState, to: number): EditResult => {
  to = Math.max(0, Math.min(s.line.length, to));
  return { state: { ...s, cursor: to }, echo: to < s.cursor ? left(s.cursor - to) : right(to - s.cursor) };
};

/** Where the word before the cursor starts (Ctrl-W: spaces, then non-spaces). */
function wordStart(line: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && line[i - 1] === ' ') i--;
  while (i > 0 && line[i - 1] !== ' ') i--;
  return i;
}

function commonPrefix(xs: string[]): string {
  if (xs.length === 0) return '';
  let p = xs[0];
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Apply one key (or a run of text: typing or paste) to the line. */
export function edit(s: EditState, input: EditInput, env: EditEnv): EditResult {
  const { line, cursor } = s;
  if (typeof input === 'object') {
    // Paste may carry tabs or control characters: keep the printable text only.
    const text = input.text.replace(/\t/g, ' ').replace(/[\x00-\x1f\x7f]/g, '');
    return redraw(s, line.slice(0, cursor) + text + line.slice(cursor), cursor + text.length);
  }
  switch (input) {
    case 'Enter':
      return { state: emptyLine([...env.history, ...(line.trim() ? [line] : [])]), echo: right(line.length - cursor) + '\r\n', submit: line };
    case 'Backspace':
      return cursor === 0 ? { state: s, echo: '' } : redraw(s, line.slice(0, cursor - 1) + line.slice(cursor), cursor - 1);
    case 'Delete':
      return cursor >= line.length ? { state: s, echo: '' } : redraw(s, line.slice(0, cursor) + line.slice(cursor + 1), cursor);
    case 'ArrowLeft': return move(s, cursor - 1);
    case 'ArrowRight': return move(s, cursor + 1);
    case 'Home': case 'Ctrl-A': return move(s, 0);
    case 'End': case 'Ctrl-E': return move(s, line.length);
    case 'Ctrl-K': return redraw(s, line.slice(0, cursor), cursor);
    case 'Ctrl-U': return redraw(s, line.slice(cursor), 0);
    case 'Ctrl-W': {
      const w = wordStart(line, cursor);
      return redraw(s, line.slice(0, w) + line.slice(cursor), w);
    }
    case 'ArrowUp': {
      if (s.hist <= 0) return { state: s, echo: '' };
      const hist = Math.min(s.hist, env.history.length) - 1;
      const draft = s.hist >= env.history.length ? line : s.draft;
      const next = env.history[hist];
      return redraw(s, next, next.length, { hist, draft });
    }
    case 'ArrowDown': {
      if (s.hist >= env.history.length) return { state: s, echo: '' };
      const hist = s.hist + 1;
      const next = hist >= env.history.length ? s.draft : env.history[hist];
      return redraw(s, next, next.length, { hist });
    }
    case 'Tab': {
      if (!env.complete) return { state: s, echo: '' };
      const { from, candidates } = env.complete(line, cursor);
      if (candidates.length === 0) return { state: s, echo: '\x07' };
      const typed = line.slice(from, cursor);
      const common = commonPrefix(candidates);
      // One candidate: complete it, and a space after a finished word (not after a directory).
      const insert = candidates.length === 1 && !common.endsWith('/') ? common + ' ' : common;
      if (insert.length > typed.length && insert.startsWith(typed)) {
        return redraw(s, line.slice(0, from) + insert + line.slice(cursor), from + insert.length);
      }
      return { state: s, echo: '', choices: candidates };
    }
    case 'Ctrl-C':
      return { state: emptyLine(env.history), echo: right(line.length - cursor) + '^C\r\n', interrupt: true };
    case 'Ctrl-L':
      return { state: s, echo: '', clear: true };
  }
}

const SEQ: Record<string, EditKey> = {
  '\r': 'Enter', '\n': 'Enter', '\x7f': 'Backspace', '\b': 'Backspace', '\t': 'Tab',
  '\x01': 'Ctrl-A', '\x05': 'Ctrl-E', '\x0b': 'Ctrl-K', '\x15': 'Ctrl-U', '\x17': 'Ctrl-W', '\x03': 'Ctrl-C', '\x0c': 'Ctrl-L',
  '\x1b[A': 'ArrowUp', '\x1b[B': 'ArrowDown', '\x1b[C': 'ArrowRight', '\x1b[D': 'ArrowLeft',
  '\x1bOA': 'ArrowUp', '\x1bOB': 'ArrowDown', '\x1bOC': 'ArrowRight', '\x1bOD': 'ArrowLeft',
  '\x1b[H': 'Home', '\x1bOH': 'Home', '\x1b[1~': 'Home', '\x1b[7~': 'Home',
  '\x1b[F': 'End', '\x1bOF': 'End', '\x1b[4~': 'End', '\x1b[8~': 'End', '\x1b[3~': 'Delete',
};

/** Split what the terminal sends (xterm's onData: keys, escape sequences, pasted text) into
 *  editor inputs. Unknown escape sequences are dropped; "\r\n" counts as one Enter. */
export function decode(data: string): EditInput[] {
  const out: EditInput[] = [];
  let text = '';
  const flush = () => { if (text) { out.push({ text }); text = ''; } };
  for (let i = 0; i < data.length;) {
    const c = data[i];
    if (c === '\x1b') {
      flush();
      // CSI or SS3: ESC [ params final, or ESC O final.
      const m = /^\x1b(\[[0-9;]*[~A-Za-z]|O[A-Za-z])?/.exec(data.slice(i))!;
      const seq = m[0];
      const key = SEQ[seq] ?? SEQ[seq.replace(/^\x1b\[1;\d+([A-Z])$/, '\x1b[$1')];
      if (key) out.push(key);
      i += Math.max(1, seq.length);
    } else if (c === '\r' && data[i + 1] === '\n') {
      flush(); out.push('Enter'); i += 2;
    } else if (SEQ[c]) {
      flush(); out.push(SEQ[c]); i++;
    } else {
      if (c >= ' ') text += c;
      i++;
    }
  }
  flush();
  return out;
}

/** The prompt and the line drawn afresh on the current row, the cursor in place (after a
 *  screen clear or a list of completions). */
export const drawLine = (s: EditState, prompt: string): string => `\r${CSI}2K${prompt}${s.line}${left(s.line.length - s.cursor)}`;
