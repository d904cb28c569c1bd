// The program view while stepping: the line of the instruction at the cursor, the lines the
// current step's events name, and the breakpoint gutter. All three are set from the page's store
// (effects below); a gutter click asks the store, which owns the one breakpoint set.

import { RangeSet, StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutter, type DecorationSet } from '@codemirror/view';

/** What the store says about stepping: 1-based lines, or null when nothing is recorded. */
export interface StepMarks { current: number | null; events: number[] }

export const setStepMarks = StateEffect.define<StepMarks>();
export const setBreakpoints = StateEffect.define<ReadonlySet<number>>();

const currentLine = Decoration.line({ class: 'cm-step-current', attributes: { 'data-step': 'current' } });
const eventLine = Decoration.line({ class: 'cm-step-event', attributes: { 'data-step': 'event' } });

/** Line decorations for valid 1-based lines of the document, sorted. */
function lineDecos(state: EditorState, marks: StepMarks): DecorationSet {
  const at = new Map<number, Decoration>();
  for (const l of marks.events) at.set(l, eventLine);
  if (marks.current !== null) at.set(marks.current, currentLine);
  const ranges = [...at].filter(([l]) => l >= 1 && l <= state.doc.lines).sort((a, b) => a[0] - b[0])
    .map(([l, d]) => d.range(state.doc.line(l).from));
  return Decoration.set(ranges);
}

const marksField = StateField.define<{ marks: StepMarks; decos: DecorationSet }>({
  create: (state) => ({ marks: { current: null, events: [] }, decos: lineDecos(state, { current: null, events: [] }) }),
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setStepMarks)) return { marks: e.value, decos: lineDecos(tr.state, e.value) };
    return tr.docChanged ? { marks: v.marks, decos: v.decos.map(tr.changes) } : v;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.decos),
});

/** The breakpoint lines as the store has them (1-based). An edit moves them with their lines (a
 *  deleted line's breakpoint lands on the line that takes its place); the editor tells the store. */
export const breakpointField = StateField.define<ReadonlySet<number>>({
  create: () => new Set(),
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setBreakpoints)) return e.value;
    if (!tr.docChanged || v.size === 0) return v;
    const old = tr.startState.doc, moved = new Set<number>();
    for (const l of v) moved.add(l <= old.lines ? tr.state.doc.lineAt(tr.changes.mapPos(old.line(l).from, 1)).number : l);
    return moved.size === v.size && [...moved].every((l) => v.has(l)) ? v : moved;
  },
});

class BreakpointMarker extends GutterMarker {
  constructor(readonly line: number) { super(); }
  override eq(o: BreakpointMarker) { return o.line === this.line; }
  override toDOM() {
    const el = document.createElement('span');
    el.className = this.line > 0 ? 'cm-bp-dot' : 'cm-bp-space'; // line 0: the gutter's width spacer
    el.textContent = '●';
    el.setAttribute('aria-hidden', 'true');
    if (this.line > 0) el.dataset.line = String(this.line);
    return el;
  }
}

/** The gutter of breakpoints: a dot on each breakpoint line; a click toggles the line's. */
export function breakpointGutter(toggle: (line: number) => void): Extension {
  return [
    breakpointField,
    gutter({
      class: 'cm-bp-gutter',
      markers: (view) => {
        const bps = view.state.field(breakpointField);
        const ranges = [...bps].filter((l) => l >= 1 && l <= view.state.doc.lines).sort((a, b) => a - b)
          .map((l) => new BreakpointMarker(l).range(view.state.doc.line(l).from));
        return RangeSet.of(ranges);
      },
      lineMarkerChange: (u) => u.startState.field(breakpointField) !== u.state.field(breakpointField),
      initialSpacer: () => new BreakpointMarker(0),
      domEventHandlers: {
        mousedown(view, block) {
          toggle(view.state.doc.lineAt(block.from).number);
          return true;
        },
      },
    }),
  ];
}

/** Current and event lines (set with setStepMarks; the caller scrolls, in the same transaction). */
export const stepMarks = (): Extension => marksField;

export const marksOf = (state: EditorState) => state.field(marksField).marks;
