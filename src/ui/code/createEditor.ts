// The program editor: CodeMirror with the guest language, help, diagnostics as you type, the
// stepping marks and the breakpoint gutter. The React view (ProgramView.tsx) owns one and feeds it.

import { Annotation, ChangeSet, Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLineGutter, keymap, lineNumbers, type Command } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, redo, redoDepth, undo, undoDepth } from '@codemirror/commands';
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { forceLinting, lintKeymap } from '@codemirror/lint';
import { guestHighlight, guestLanguage } from './language.ts';
import { guestCompletions, guestHover, keyboardHelp } from './help.ts';
import { checkAsYouType, recheck, type CheckHooks } from './diagnostics.ts';
import { breakpointField, breakpointGutter, setBreakpoints, setStepMarks, stepMarks, type StepMarks } from './stepping.ts';
import { code as t } from '../messages/index.ts';

export interface EditorHooks extends CheckHooks {
  onChange(text: string): void;
  toggleBreakpoint(line: number): void;
  /** The breakpoint lines after an edit moved them with their lines (stepping.ts breakpointField). */
  moveBreakpoints(lines: ReadonlySet<number>): void;
  save(): void;
  run(): void;
  /** Whether an edit must be confirmed first (a recording exists); the edit waits for confirmEdit(). */
  mustConfirmEdit(): boolean;
  onEditBlocked(): void;
}

export interface ProgramEditor {
  view: EditorView;
  /** Replaces the text (opening a file): no confirmation, no undo across files. */
  setDoc(text: string, readOnly: boolean): void;
  /** Replaces the text as one undoable edit (the program replaced from elsewhere): Ctrl+Z brings
   *  back what was there. */
  replaceDoc(text: string): void;
  setMarks(m: StepMarks): void;
  setBreakpoints(lines: ReadonlySet<number>): void;
  setDark(dark: boolean): void;
  /** Checks the text again now (after a language switch: the diagnostics in the new words). */
  relint(): void;
  /** Puts the cursor at the start of a 1-based line, scrolled into view, and focuses the editor. */
  goToLine(line: number): void;
  /** Applies the edit that waited for confirmation (true), or drops it (false). */
  confirmEdit(apply: boolean): void;
  destroy(): void;
}

/** Marks transactions the page makes (a file opened), which skip the recording guard. */
const fromPage = Annotation.define<boolean>();

export function createEditor(parent: HTMLElement, doc: string, readOnly: boolean, h: EditorHooks): ProgramEditor {
  const ro = new Compartment(), dark = new Compartment();
  // The edit that waits for "discard the recording?": typed changes, or an undo/redo (history
  // transactions skip transaction filters, so those commands ask first themselves).
  let pending: ChangeSet | null = null, later: Command | null = null;
  const guarded = (cmd: Command, depth: (s: EditorState) => number): Command => (v) => {
    if (!h.mustConfirmEdit() || depth(v.state) === 0) return cmd(v);
    later = cmd;
    queueMicrotask(h.onEditBlocked);
    return true;
  };
  // What the page last said, put back when a file is opened (a new state starts empty).
  let marks: StepMarks = { current: null, events: [] }, bps: ReadonlySet<number> = new Set(), isDark = false;
  const toggleAtCursor = (v: EditorView) => { h.toggleBreakpoint(v.state.doc.lineAt(v.state.selection.main.head).number); return true; };
  const extensions = (readOnlyNow: boolean): Extension[] => [
    // Long lines wrap: a narrow column or a projector's large text never hides the end of a line.
    lineNumbers(), breakpointGutter(h.toggleBreakpoint), highlightActiveLineGutter(), drawSelection(), history(), EditorView.lineWrapping,
    // selectOnOpen false: Enter ends the line unless the student picked a completion (arrows).
    guestLanguage, guestHighlight, guestHover, keyboardHelp, autocompletion({ override: [guestCompletions], selectOnOpen: false }),
    checkAsYouType(h), stepMarks(),
    ro.of([EditorState.readOnly.of(readOnlyNow)]), dark.of(EditorView.darkTheme.of(false)),
    keymap.of([
      { key: 'Mod-s', run: () => { h.save(); return true; }, preventDefault: true },
      { key: 'Mod-Enter', run: () => { h.run(); return true; } },
      { key: 'F9', run: toggleAtCursor },
      { key: 'Mod-z', run: guarded(undo, undoDepth), preventDefault: true },
      { key: 'Mod-y', mac: 'Mod-Shift-z', run: guarded(redo, redoDepth), preventDefault: true },
      { key: 'Mod-Shift-z', run: guarded(redo, redoDepth), preventDefault: true },
      ...completionKeymap, ...lintKeymap,
      { key: 'Escape', run: (v) => { v.contentDOM.blur(); return true; } },
      ...historyKeymap, ...defaultKeymap,
    ]),
    // tabindex: the scrolling region holds a keyboard-focusable element (axe: scrollable-region-focusable).
    EditorView.contentAttributes.of({ 'aria-label': t.editorLabel, 'aria-describedby': 'program-editor-keys', tabindex: '0' }),
    EditorState.transactionFilter.of((tr) => {
      if (!tr.docChanged || tr.annotation(fromPage) || !h.mustConfirmEdit()) return tr;
      pending = pending ? pending.compose(tr.changes) : tr.changes;
      queueMicrotask(h.onEditBlocked);
      return [];
    }),
    EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      h.onChange(u.state.doc.toString());
      // The breakpoints moved with their lines: the store holds the one set.
      const moved = u.state.field(breakpointField);
      if (moved !== u.startState.field(breakpointField) && !u.transactions.some((tr) => tr.effects.some((e) => e.is(setBreakpoints)))) {
        bps = moved;
        h.moveBreakpoints(moved);
      }
    }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc, extensions: extensions(readOnly) }) });
  // The page's player keys (arrows, letters) must not act while the student types here: keys stop
  // at the editor, after its own key map has seen them.
  view.dom.addEventListener('keydown', (e) => e.stopPropagation());
  return {
    view,
    setDoc(text, readOnlyNow) {
      pending = null; later = null;
      // A new state: undo history and diagnostics belong to the file that was open.
      view.setState(EditorState.create({ doc: text, extensions: extensions(readOnlyNow) }));
      view.dispatch({ effects: [setStepMarks.of(marks), setBreakpoints.of(bps), dark.reconfigure(EditorView.darkTheme.of(isDark))] });
    },
    replaceDoc(text) {
      pending = null; later = null;
      // The store's breakpoints stay as they are (a whole new text says nothing about moved lines).
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromPage.of(true),
        effects: [ro.reconfigure([EditorState.readOnly.of(false)]), setBreakpoints.of(bps)] });
    },
    setMarks(m) {
      marks = m;
      const effects = [setStepMarks.of(m)];
      const at = m.current !== null && m.current <= view.state.doc.lines ? view.state.doc.line(m.current).from : null;
      view.dispatch({ effects: at === null ? effects : [...effects, EditorView.scrollIntoView(at, { y: 'nearest' })] });
    },
    setBreakpoints(lines) { bps = lines; view.dispatch({ effects: setBreakpoints.of(lines) }); },
    goToLine(line) {
      if (line < 1 || line > view.state.doc.lines) return;
      const at = view.state.doc.line(line).from;
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
    setDark(d) { isDark = d; view.dispatch({ effects: dark.reconfigure(EditorView.darkTheme.of(d)) }); },
    relint() { view.dispatch({ effects: recheck.of(null) }); forceLinting(view); },
    confirmEdit(apply) {
      const c = pending, cmd = later;
      pending = null; later = null;
      if (apply && c && c.length === view.state.doc.length) view.dispatch({ changes: c, annotations: fromPage.of(true), userEvent: 'input' });
      if (apply && cmd) cmd(view);
      view.focus();
    },
    destroy: () => view.destroy(),
  };
}
