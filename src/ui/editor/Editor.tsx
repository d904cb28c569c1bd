// The editor's view: renders the model into a terminal as ANSI (full screen, on xterm's alternate
// buffer) and drives the model from the terminal's input until the student quits.
//
//   const ed = await openEditor({ term, path: '/home/hello.s', vfs, check, onExit });
//
// openEditor takes over the terminal's input (term.onData) until Ctrl-Q; the shell must stop
// handling input meanwhile and resume it in onExit. Everything the file holds is drawn as text:
// control characters are shown as '·', never sent to the terminal (a shared program cannot
// inject escape sequences).

import type { Vfs } from '../terminal/vfs-interface.ts';
import { files as msg } from '../messages/index.ts';
import { charKinds, type TokenKind } from './highlight.ts';
import {
  TAB_WIDTH, applySaveResult, createModel, displayCol, errorsAt, gutterWidth, handleKey, isDirty, parseKeys, resize, saveText,
  textCols, textRows, type Diagnostic, type EditorModel, type Effect, type SaveResult,
} from './editorModel.ts';

/** The part of an xterm Terminal the editor uses (an @xterm/xterm Terminal fits). */
export interface EditorTerminal {
  readonly cols: number;
  readonly rows: number;
  write(data: string): void;
  onData(listener: (data: string) => void): { dispose(): void };
  onResize?(listener: (size: { cols: number; rows: number }) => void): { dispose(): void };
}

/** The assembler's check of the text being edited at `path` (its .include files are read from the store). */
export type CheckFn = (source: string, path?: string) => Promise<Diagnostic[]>;

const ESC = '\x1b[';
const SGR: Record<TokenKind, string> = {
  comment: '2;3', label: '1;33', directive: '35', mnemonic: '1;36', register: '32', number: '33',
  string: '31', keyword: '34', ident: '0', punct: '0', space: '0',
};

/** Shows a character safely: C0/C1 controls and DEL become '·'. */
// eslint-disable-next-line no-control-regex
const safeChar = (c: string) => (/[\u0000-\u001f\u007f-\u009f]/.test(c) ? '·' : c);

/** Clips plain text to `width` cells and makes it safe. */
const clip = (s: string, width: number) => [...s].map(safeChar).slice(0, Math.max(0, width)).join('');

/** One text row: the line's display cells from `left`, coloured by token kind. */
function renderLine(line: string, left: number, cols: number, errCols: Set<number>): string {
  const kinds = charKinds(line);
  let out = '', cur = '', d = 0;
  const emit = (ch: string, sgr: string) => {
    if (d >= left && d < left + cols) {
      if (sgr !== cur) { out += `${ESC}0;${sgr}m`; cur = sgr; }
      out += ch;
    }
    d++;
  };
  for (let i = 0; i < line.length && d < left + cols; i++) {
    const c = line[i];
    const sgr = SGR[kinds[i]] + (errCols.has(i) ? ';4;41' : '');
    if (c === '\t') { const w = TAB_WIDTH - (d % TAB_WIDTH); for (let k = 0; k < w; k++) emit(' ', sgr); continue; }
    // A surrogate pair is one cell.
    if (/[\uD800-\uDBFF]/.test(c) && /[\uDC00-\uDFFF]/.test(line[i + 1] ?? '')) { emit(c + line[i + 1], sgr); i++; continue; }
    emit(safeChar(c), sgr);
  }
  return out + `${ESC}0m`;
}

/** The whole screen for the model, as ANSI (pure: the tests read it). */
export function renderFrame(m: EditorModel): string {
  const W = m.width, rows = textRows(m), cols = textCols(m), gw = gutterWidth(m);
  let out = `${ESC}?25l${ESC}H`;
  // Title bar
  const title = ` ${msg.editor.title} — ${m.path}${isDirty(m) ? ' ' + msg.editor.modified : ''}${m.readonly ? ' ' + msg.editor.readOnly : ''}`;
  out += `${ESC}7m${clip(title, W).padEnd(W)}${ESC}0m`;
  for (let r = 0; r < rows; r++) {
    const i = m.top + r;
    out += `${ESC}${r + 2};1H`;
    if (i < m.lines.length) {
      const errs = errorsAt(m, i + 1);
      const num = String(i + 1).padStart(gw - 2);
      out += errs.length ? `${ESC}1;31m!${num} ${ESC}0m` : `${ESC}2m ${num} ${ESC}0m`;
      out += renderLine(m.lines[i], m.left, cols, new Set(errs.map((e) => e.col - 1)));
    } else {
      out += `${ESC}2m${' '.repeat(gw - 2)}~${ESC}0m`;
    }
    out += `${ESC}K`;
  }
  // Status line (or prompt), then the help line
  const mode = m.mode;
  let cursor: [number, number];
  const statusRow = rows + 2;
  if (mode.kind === 'prompt') {
    const label = mode.prompt === 'find' ? msg.editor.find : mode.prompt === 'goto' ? msg.editor.goto : msg.editor.saveAs;
    const line = clip(label + mode.input, W - 1);
    out += `${ESC}${statusRow};1H${ESC}7m${line.padEnd(W)}${ESC}0m`;
    cursor = [statusRow, Math.min(W, [...line].length + 1)];
  } else {
    const s = mode.kind === 'confirm-quit' ? msg.editor.quitAsk(m.path) : m.status;
    out += `${ESC}${statusRow};1H${ESC}1m${clip(s, W)}${ESC}0m${ESC}K`;
    cursor = mode.kind === 'confirm-quit' ? [statusRow, Math.min(W, [...s].length + 1)]
      : [m.row - m.top + 2, gw + displayCol(m.lines[m.row], m.col) - m.left + 1];
  }
  const help = mode.kind === 'edit' ? msg.editor.help : msg.editor.helpPrompt;
  out += `${ESC}${statusRow + 1};1H${ESC}2m${clip(help, W)}${ESC}0m${ESC}K`;
  out += `${ESC}${cursor[0]};${cursor[1]}H${ESC}?25h`;
  return out;
}

/** Draws the model into the terminal. */
export function renderEditor(term: Pick<EditorTerminal, 'write'>, m: EditorModel): void {
  term.write(renderFrame(m));
}

export interface OpenEditorOptions {
  term: EditorTerminal;
  path: string;
  vfs: Vfs;
  /** The assembler's check, run on save (the lead wires it to the engine worker). */
  check: CheckFn;
  /** Called once, after the editor has left the screen. */
  onExit: (r: { path: string; saved: boolean }) => void;
}

export interface EditorHandle {
  /** The current model (for tests and the shell). */
  model(): EditorModel;
  /** Leaves the editor at once (no question asked), e.g. when the terminal closes. */
  dispose(): void;
}

/** Opens `path` in the editor on `term`, which it takes over until quit. A missing /home file is a
 *  new, empty buffer; a /samples file opens read-only (Ctrl-S then offers a /home path). Rejects
 *  (before touching the terminal) if the path cannot be opened (a directory, outside /home...). */
export async function openEditor(o: OpenEditorOptions): Promise<EditorHandle> {
  const { term, vfs, check } = o;
  const path = o.path;
  let text = '', status: string | undefined;
  const readonly = /^\/samples(\/|$)/.test(path);
  if (await vfs.exists(path)) {
    text = await vfs.read(path);
  } else if (/^\/home\/./.test(path)) {
    status = msg.editor.newFile(path);
  } else {
    text = await vfs.read(path); // throws the VFS's message (no such file…)
  }
  // The version opened (a save must still find it, else another tab saved: keep both), and a draft
  // of unsaved text left by a reload or a crash, which comes back as unsaved changes.
  let base = readonly ? 0 : (await vfs.version?.(path)) ?? undefined;
  const draft = readonly ? null : vfs.draft?.(path) ?? null;
  const fromDraft = draft !== null && draft.text !== (text === '' ? '' : text);
  if (fromDraft) { text = draft.text; status = msg.editor.draftRestored(path); }
  let m = createModel({ path, text, readonly, width: term.cols, height: term.rows, status });
  if (fromDraft) m = { ...m, savedVersion: -1 };
  let closed = false, saved = false, drafted = m.version;
  const draw = () => { if (!closed) renderEditor(term, m); };
  const keepDraft = () => {
    if (readonly) return;
    if (!isDirty(m)) { vfs.dropDraft?.(path); return; }
    if (m.version === drafted) return;
    drafted = m.version;
    vfs.saveDraft?.(path, saveText(m), base ?? 0);
  };

  /** decided: the student saved or chose not to (quit); else the editor was closed under them. */
  const finish = (decided = false) => {
    if (closed) return;
    if (decided || !isDirty(m)) vfs.dropDraft?.(path);
    closed = true;
    data.dispose();
    size?.dispose();
    term.write(`${ESC}0m${ESC}?1049l`);
    o.onExit({ path: m.path, saved });
  };

  const run = (effects: Effect[]) => {
    for (const e of effects) {
      if (e.kind === 'quit') { finish(true); return; }
      void doSave(e);
    }
  };

  const doSave = async (e: Extract<Effect, { kind: 'save' }>) => {
    let r: SaveResult, note = '';
    try {
      let savedAs = e.path, now: unknown;
      try {
        // The file store resolves to the new version (a plain Vfs to nothing).
        now = await vfs.write(e.path, e.text, e.path === path && base !== undefined ? { ifVersion: base } : undefined);
      } catch (err) {
        // Saved in another tab since it was opened: never overwrite it; keep both.
        if (!(err instanceof Error && err.name === 'ConflictError' && vfs.keepBoth)) throw err;
        savedAs = await vfs.keepBoth(e.path, e.text);
      }
      if (savedAs === path) base = typeof now === 'number' ? now : undefined;
      saved = true;
      let errors: Diagnostic[] = [], checkError: string | undefined;
      try { errors = await check(e.text, e.path); } catch (err) { checkError = err instanceof Error ? err.message : String(err); }
      r = { ok: true, path: e.path, version: e.version, errors, checkError };
      if (savedAs !== e.path) note = msg.editor.keptBoth(e.path, savedAs);
    } catch (err) {
      r = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (closed) return;
    const s = applySaveResult(m, r);
    m = note ? { ...s.model, status: note } : s.model;
    keepDraft();
    draw();
    run(s.effects);
  };

  const data = term.onData((d) => {
    if (closed) return;
    const effects: Effect[] = [];
    for (const k of parseKeys(d)) { const s = handleKey(m, k); m = s.model; effects.push(...s.effects); if (effects.some((x) => x.kind === 'quit')) break; }
    keepDraft();
    draw();
    run(effects);
  });
  const size = term.onResize?.(({ cols, rows }) => { m = resize(m, cols, rows); draw(); });

  term.write(`${ESC}?1049h${ESC}2J`);
  draw();
  return { model: () => m, dispose: () => finish() };
}
