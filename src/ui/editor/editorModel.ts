// The editor's model: pure. A buffer of lines, a cursor, a scroll position and a mode; keys go
// in (handleKey), a new model and effects (save, quit) come out. The view (Editor.tsx) renders it
// and performs the effects; their results come back through applySaveResult.

import { files as msg } from '../messages/index.ts';

export interface Diagnostic { line: number; col: number; message: string }

export type Key =
  | { kind: 'char'; ch: string }
  | { kind: 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'pgup' | 'pgdn' | 'backspace' | 'delete' | 'tab' | 'escape' }
  /** pasted: a line break inside pasted text, which carries its own indentation (no auto-indent). */
  | { kind: 'enter'; pasted?: boolean }
  | { kind: 'ctrl'; ch: string };

export type Mode =
  | { kind: 'edit' }
  | { kind: 'prompt'; prompt: 'find' | 'goto' | 'saveas'; input: string; quitAfter?: boolean }
  | { kind: 'confirm-quit' };

export interface EditorModel {
  path: string;
  readonly: boolean;
  lines: string[];
  /** Cursor: 0-based line and character index. `goal` is the column up/down aim for. */
  row: number;
  col: number;
  goal: number;
  /** First visible line and first visible display column. */
  top: number;
  left: number;
  /** The terminal's size. */
  width: number;
  height: number;
  /** Edits since open; the version last saved. dirty = version !== savedVersion. */
  version: number;
  savedVersion: number;
  mode: Mode;
  status: string;
  /** The check's errors from the last save (1-based lines), moved along as lines come and go. */
  errors: Diagnostic[];
  lastFind: string;
  saving: boolean;
  /** Quit once the pending save succeeds. */
  quitAfterSave: boolean;
}

export type Effect = { kind: 'save'; path: string; text: string; version: number } | { kind: 'quit'; saved: boolean };
export interface Step { model: EditorModel; effects: Effect[] }

export const TAB_WIDTH = 4;
/** Screen rows that are not text: the title bar, the status line and the help line. */
export const CHROME_ROWS = 3;

export const isDirty = (m: EditorModel) => m.version !== m.savedVersion;
export const textRows = (m: EditorModel) => Math.max(1, m.height - CHROME_ROWS);
export const gutterWidth = (m: EditorModel) => String(m.lines.length).length + 2;
export const textCols = (m: EditorModel) => Math.max(1, m.width - gutterWidth(m));
export const textOf = (m: EditorModel) => m.lines.join('\n');

/** Display column of character index `col` (tabs expand to the next multiple of TAB_WIDTH). */
export function displayCol(line: string, col: number): number {
  let d = 0;
  for (let i = 0; i < col && i < line.length; i++) d = line[i] === '\t' ? (Math.floor(d / TAB_WIDTH) + 1) * TAB_WIDTH : d + 1;
  return d;
}

export function createModel(o: { path: string; text: string; readonly?: boolean; width?: number; height?: number; status?: string }): EditorModel {
  const lines = o.text.replace(/\r\n?/g, '\n').split('\n');
  // A final newline is the end of the last line, not an extra empty line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return {
    path: o.path, readonly: o.readonly ?? false, lines, row: 0, col: 0, goal: 0, top: 0, left: 0,
    width: o.width ?? 80, height: o.height ?? 24, version: 0, savedVersion: 0, mode: { kind: 'edit' },
    status: o.status ?? msg.editor.opened(o.path, lines.length), errors: [], lastFind: '', saving: false, quitAfterSave: false,
  };
}

/** The text a save writes: the lines, newline-terminated. */
export const saveText = (m: EditorModel) => m.lines.join('\n') + '\n';

export function resize(m: EditorModel, width: number, height: number): EditorModel {
  return scrollToCursor({ ...m, width: Math.max(10, width), height: Math.max(CHROME_ROWS + 1, height) });
}

/** The errors on a 1-based line. */
export const errorsAt = (m: EditorModel, line: number) => m.errors.filter((e) => e.line === line);

// ---------------------------------------------------------------------------------------------
// Input: xterm's onData strings to keys

const CSI: Record<string, Key['kind']> = {
  A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end',
  '1~': 'home', '7~': 'home', '4~': 'end', '8~': 'end', '5~': 'pgup', '6~': 'pgdn', '3~': 'delete',
};

/** Splits terminal input (keys or a paste) into keys. Unknown escape sequences are dropped. */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  // Text with a line break in one chunk, and no other control keys, is a paste (a typed Enter
  // arrives alone): pasted lines keep their own indentation instead of gaining the previous line's.
  // eslint-disable-next-line no-control-regex
  const paste = /[\r\n]/.test(data) && /[^\r\n]/.test(data) && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(data);
  const enter: Key = paste ? { kind: 'enter', pasted: true } : { kind: 'enter' };
  for (let i = 0; i < data.length;) {
    const c = data[i];
    if (c === '\x1b') {
      const m = /^\x1b(?:\[([0-9;]*)([A-Za-z~])|O([A-Za-z]))/.exec(data.slice(i));
      if (m) {
        i += m[0].length;
        const params = (m[1] ?? '').split(';');
        const final = m[2] ?? m[3];
        const code = final === '~' ? `${params[0]}~` : final;
        const kind = CSI[code];
        if (kind) keys.push({ kind } as Key);
        continue;
      }
      keys.push({ kind: 'escape' }); i++; continue;
    }
    if (c === '\r') { keys.push(enter); i += data[i + 1] === '\n' ? 2 : 1; continue; }
    if (c === '\n') { keys.push(enter); i++; continue; }
    if (c === '\t') { keys.push({ kind: 'tab' }); i++; continue; }
    if (c === '\x7f' || c === '\b') { keys.push({ kind: 'backspace' }); i++; continue; }
    const code = c.charCodeAt(0);
    if (code < 0x20) { keys.push({ kind: 'ctrl', ch: String.fromCharCode(code + 0x60) }); i++; continue; }
    // A character (a surrogate pair stays whole).
    const cp = data.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!(cp >= 0x80 && cp < 0xa0)) keys.push({ kind: 'char', ch });
    i += ch.length;
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Keys

const step = (model: EditorModel, ...effects: Effect[]): Step => ({ model, effects });

function scrollToCursor(m: EditorModel): EditorModel {
  const rows = textRows(m), cols = textCols(m);
  let { top, left } = m;
  if (m.row < top) top = m.row;
  if (m.row >= top + rows) top = m.row - rows + 1;
  top = Math.max(0, Math.min(top, Math.max(0, m.lines.length - 1)));
  const d = displayCol(m.lines[m.row], m.col);
  if (d < left) left = d;
  if (d >= left + cols) left = d - cols + 1;
  return top === m.top && left === m.left ? m : { ...m, top, left };
}

/** Moves the cursor (clamped) and scrolls so it is visible. */
function moveTo(m: EditorModel, row: number, col: number, keepGoal = false): EditorModel {
  const r = Math.max(0, Math.min(row, m.lines.length - 1));
  const c = Math.max(0, Math.min(col, m.lines[r].length));
  return scrollToCursor({ ...m, row: r, col: c, goal: keepGoal ? m.goal : c });
}

/** A status line for where the cursor is: the error on its line if any. */
function cursorStatus(m: EditorModel): EditorModel {
  const e = errorsAt(m, m.row + 1)[0];
  return e ? { ...m, status: msg.editor.errorAt(e.line, e.col, e.message) } : m;
}

/** Replaces the buffer (an edit): bumps the version; moves errors below `atRow` by `shift` lines. */
function edited(m: EditorModel, lines: string[], row: number, col: number, atRow = 0, shift = 0): EditorModel {
  const errors = shift === 0 ? m.errors
    : m.errors.map((e) => (e.line - 1 > atRow ? { ...e, line: e.line + shift } : e));
  return moveTo({ ...m, lines, version: m.version + 1, errors, status: m.readonly ? msg.editor.readOnlyEdit : '' }, row, col);
}

function insertText(m: EditorModel, s: string): EditorModel {
  const lines = m.lines.slice();
  const l = lines[m.row];
  lines[m.row] = l.slice(0, m.col) + s + l.slice(m.col);
  return edited(m, lines, m.row, m.col + s.length);
}

/** Split the line at the cursor; the new line starts with the old one's indentation (autoIndent). */
function newline(m: EditorModel, autoIndent: boolean): EditorModel {
  const lines = m.lines.slice();
  const l = lines[m.row];
  const indent = autoIndent ? /^[ \t]*/.exec(l)![0].slice(0, m.col) : '';
  lines.splice(m.row, 1, l.slice(0, m.col), indent + l.slice(m.col));
  return edited(m, lines, m.row + 1, indent.length, m.row, +1);
}

function backspace(m: EditorModel): EditorModel {
  if (m.col > 0) {
    const lines = m.lines.slice();
    const l = lines[m.row];
    // A surrogate pair goes as one character.
    const n = m.col >= 2 && /[\uDC00-\uDFFF]/.test(l[m.col - 1]) && /[\uD800-\uDBFF]/.test(l[m.col - 2]) ? 2 : 1;
    lines[m.row] = l.slice(0, m.col - n) + l.slice(m.col);
    return edited(m, lines, m.row, m.col - n);
  }
  if (m.row === 0) return m;
  const lines = m.lines.slice();
  const prev = lines[m.row - 1];
  lines.splice(m.row - 1, 2, prev + lines[m.row]);
  return edited(m, lines, m.row - 1, prev.length, m.row - 1, -1);
}

function del(m: EditorModel): EditorModel {
  const l = m.lines[m.row];
  if (m.col < l.length) {
    const n = /[\uD800-\uDBFF]/.test(l[m.col]) && /[\uDC00-\uDFFF]/.test(l[m.col + 1] ?? '') ? 2 : 1;
    const lines = m.lines.slice();
    lines[m.row] = l.slice(0, m.col) + l.slice(m.col + n);
    return edited(m, lines, m.row, m.col);
  }
  if (m.row === m.lines.length - 1) return m;
  const lines = m.lines.slice();
  lines.splice(m.row, 2, l + lines[m.row + 1]);
  return edited(m, lines, m.row, m.col, m.row, -1);
}

function vertical(m: EditorModel, dRow: number, scroll = false): EditorModel {
  const row = Math.max(0, Math.min(m.row + dRow, m.lines.length - 1));
  let next = m;
  if (scroll) {
    const maxTop = Math.max(0, m.lines.length - textRows(m));
    next = { ...m, top: Math.max(0, Math.min(m.top + dRow, maxTop)) };
  }
  return cursorStatus(moveTo(next, row, m.goal, true));
}

/** Finds `needle` (case-insensitive) after the cursor, wrapping around. */
function find(m: EditorModel, needle: string): EditorModel {
  if (needle === '') return { ...m, mode: { kind: 'edit' } };
  const n = needle.toLowerCase();
  const base = { ...m, mode: { kind: 'edit' } as Mode, lastFind: needle };
  for (let k = 0; k <= m.lines.length; k++) {
    const r = (m.row + k) % m.lines.length;
    const from = k === 0 ? m.col + 1 : 0;
    const hay = m.lines[r].toLowerCase();
    const at = k === m.lines.length ? hay.slice(0, m.col + 1).indexOf(n) : hay.indexOf(n, from);
    if (at >= 0) {
      const wrapped = r < m.row || (r === m.row && k > 0);
      return { ...moveTo(base, r, at), status: wrapped ? msg.editor.wrapped : '' };
    }
  }
  return { ...base, status: msg.editor.notFound(needle) };
}

function gotoLine(m: EditorModel, input: string): EditorModel {
  const base = { ...m, mode: { kind: 'edit' } as Mode };
  if (!/^\s*\d+\s*$/.test(input)) return input.trim() === '' ? base : { ...base, status: msg.editor.badLine(input) };
  return cursorStatus(moveTo({ ...base, status: '' }, parseInt(input, 10) - 1, 0));
}

/** Suggested /home path for saving a read-only file. */
export const homePathFor = (path: string) => (path.startsWith('/home/') ? path : `/home/${path.slice(path.lastIndexOf('/') + 1)}`);

function save(m: EditorModel, path = m.path, quitAfter = false): Step {
  if (m.saving) return step(m);
  if (m.readonly && path === m.path) {
    return step({ ...m, mode: { kind: 'prompt', prompt: 'saveas', input: homePathFor(m.path), quitAfter }, status: msg.editor.readOnlyEdit });
  }
  return step({ ...m, mode: { kind: 'edit' }, saving: true, quitAfterSave: quitAfter, status: msg.editor.saving },
    { kind: 'save', path, text: saveText(m), version: m.version });
}

function promptKey(m: EditorModel, mode: Extract<Mode, { kind: 'prompt' }>, key: Key): Step {
  const cancel = () => step({ ...m, mode: { kind: 'edit' }, status: '' });
  switch (key.kind) {
    case 'escape': return cancel();
    case 'ctrl':
      if (key.ch === 'c' || key.ch === 'q') return cancel();
      if (key.ch === 'u') return step({ ...m, mode: { ...mode, input: '' } });
      return step(m);
    case 'backspace': return step({ ...m, mode: { ...mode, input: [...mode.input].slice(0, -1).join('') } });
    case 'char': return step({ ...m, mode: { ...mode, input: mode.input + key.ch } });
    case 'tab': return step(m);
    case 'enter':
      if (mode.prompt === 'find') return step(find(m, mode.input));
      if (mode.prompt === 'goto') return step(gotoLine(m, mode.input));
      {
        const p = mode.input.trim();
        if (p === '') return cancel();
        return save({ ...m, mode: { kind: 'edit' } }, p, mode.quitAfter ?? false);
      }
    default: return step(m);
  }
}

export function handleKey(m: EditorModel, key: Key): Step {
  const mode = m.mode;
  if (mode.kind === 'prompt') return promptKey(m, mode, key);
  if (mode.kind === 'confirm-quit') {
    const ch = key.kind === 'char' ? key.ch.toLowerCase() : key.kind === 'ctrl' ? `^${key.ch}` : key.kind;
    if (ch === 'y') return save({ ...m, mode: { kind: 'edit' } }, m.path, true);
    if (ch === 'n') return step({ ...m, mode: { kind: 'edit' } }, { kind: 'quit', saved: false });
    if (ch === 'c' || ch === 'escape' || ch === '^c' || ch === '^q') return step({ ...m, mode: { kind: 'edit' }, status: '' });
    return step(m);
  }
  switch (key.kind) {
    case 'char': return step(insertText(m, key.ch));
    case 'tab': return step(insertText(m, ' '.repeat(TAB_WIDTH - (displayCol(m.lines[m.row], m.col) % TAB_WIDTH))));
    case 'enter': return step(newline(m, !key.pasted));
    case 'backspace': return step(backspace(m));
    case 'delete': return step(del(m));
    case 'left':
      return step(m.col > 0 ? moveTo(m, m.row, m.col - 1) : m.row > 0 ? cursorStatus(moveTo(m, m.row - 1, m.lines[m.row - 1].length)) : m);
    case 'right':
      return step(m.col < m.lines[m.row].length ? moveTo(m, m.row, m.col + 1) : m.row < m.lines.length - 1 ? cursorStatus(moveTo(m, m.row + 1, 0)) : m);
    case 'up': return step(vertical(m, -1));
    case 'down': return step(vertical(m, +1));
    case 'pgup': return step(vertical(m, -textRows(m), true));
    case 'pgdn': return step(vertical(m, +textRows(m), true));
    case 'home': return step(moveTo(m, m.row, 0));
    case 'end': return step(moveTo(m, m.row, m.lines[m.row].length));
    case 'escape': return step(m);
    case 'ctrl':
      switch (key.ch) {
        case 'a': return step(moveTo(m, m.row, 0));
        case 'e': return step(moveTo(m, m.row, m.lines[m.row].length));
        case 's': return save(m);
        case 'q':
          if (!isDirty(m)) return step(m, { kind: 'quit', saved: false });
          return step({ ...m, mode: { kind: 'confirm-quit' }, status: msg.editor.quitAsk(m.readonly ? homePathFor(m.path) : m.path) });
        case 'f': return step({ ...m, mode: { kind: 'prompt', prompt: 'find', input: m.lastFind } });
        case 'g': return step({ ...m, mode: { kind: 'prompt', prompt: 'goto', input: '' } });
        default: return step(m);
      }
  }
}

/** Feeds a sequence of keys, collecting the effects. */
export function handleKeys(m: EditorModel, keys: Key[]): Step {
  const effects: Effect[] = [];
  for (const k of keys) { const s = handleKey(m, k); m = s.model; effects.push(...s.effects); }
  return { model: m, effects };
}

export type SaveResult = { ok: true; path: string; version: number; errors: Diagnostic[]; checkError?: string } | { ok: false; error: string };

/** The outcome of a save effect: the file written (and the check's errors), or why not. */
export function applySaveResult(m: EditorModel, r: SaveResult): Step {
  if (!r.ok) return step({ ...m, saving: false, quitAfterSave: false, status: msg.editor.saveFailed(r.error) });
  const errors = r.errors.slice().sort((a, b) => a.line - b.line || a.col - b.col);
  const first = errors[0];
  const status = r.checkError !== undefined ? msg.editor.checkFailed(r.checkError)
    : first ? msg.editor.savedErrors(r.path, errors.length, msg.editor.errorAt(first.line, first.col, first.message))
      : msg.editor.savedClean(r.path);
  const next: EditorModel = {
    ...m, saving: false, quitAfterSave: false, path: r.path, readonly: r.path === m.path ? m.readonly : false,
    savedVersion: r.version, errors, status,
  };
  return m.quitAfterSave ? step(next, { kind: 'quit', saved: true }) : step(next);
}
