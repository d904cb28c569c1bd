// The program view's marked lines as a list: the line at the cursor, the lines the step ran and
// the breakpoints, each with its text. One tab stop (a roving tabindex): Up/Down/Home/End move
// inside it, Enter shows the line in the editor, Delete removes the line's breakpoint. The keys
// it uses stop here, so the page's player keys (arrows, Home, End) do not act at the same time.

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { code as t } from '../messages/index.ts';
import type { StepMarks } from './stepping.ts';

export type MarkKind = keyof typeof t.markKind;
export interface MarkedLine { line: number; kinds: MarkKind[]; text: string }

/** The marked lines in line order (pure: the tests read it). */
export function markedLines(marks: StepMarks, breakpoints: ReadonlySet<number>, doc: string): MarkedLine[] {
  const lines = doc.split('\n');
  const at = new Map<number, Set<MarkKind>>();
  const add = (l: number, k: MarkKind) => { if (l >= 1 && l <= lines.length) (at.get(l) ?? at.set(l, new Set()).get(l)!).add(k); };
  if (marks.current !== null) add(marks.current, 'current');
  for (const l of marks.events) add(l, 'event');
  for (const l of breakpoints) add(l, 'breakpoint');
  const order: MarkKind[] = ['current', 'event', 'breakpoint'];
  return [...at].sort((a, b) => a[0] - b[0])
    .map(([line, ks]) => ({ line, kinds: order.filter((k) => ks.has(k)), text: lines[line - 1].trim() }));
}

export interface MarksListProps {
  items: MarkedLine[];
  onGo(line: number): void;
  onRemoveBreakpoint(line: number): void;
}

export function MarksList({ items, onGo, onRemoveBreakpoint }: MarksListProps) {
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLLIElement | null)[]>([]);
  const focusNext = useRef(false);
  const at = Math.min(active, Math.max(0, items.length - 1));
  useEffect(() => {
    if (focusNext.current) { focusNext.current = false; refs.current[at]?.focus(); }
  }, [at, items]);
  if (items.length === 0) return <p className="marks-empty">{t.marksEmpty}</p>;

  const move = (i: number) => { focusNext.current = true; setActive(Math.max(0, Math.min(items.length - 1, i))); };
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const it = items[at];
    switch (e.key) {
      case 'ArrowDown': move(at + 1); break;
      case 'ArrowUp': move(at - 1); break;
      case 'Home': move(0); break;
      case 'End': move(items.length - 1); break;
      case 'Enter': case ' ': onGo(it.line); break;
      case 'Delete': case 'Backspace':
        if (!it.kinds.includes('breakpoint')) return;
        focusNext.current = true;
        onRemoveBreakpoint(it.line);
        break;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <>
      <ul className="marks-list" role="listbox" aria-label={t.marksLabel} aria-describedby="marks-help" onKeyDown={onKeyDown}>
        {items.map((it, i) => (
          <li key={it.line} ref={(el) => { refs.current[i] = el; }} role="option" aria-selected={i === at} tabIndex={i === at ? 0 : -1}
            className={'mark ' + it.kinds.map((k) => `mark-${k}`).join(' ')} data-line={it.line}
            onClick={() => { setActive(i); onGo(it.line); }}>
            <span className="mark-glyphs" aria-hidden="true">{it.kinds.map((k) => t.markGlyph[k]).join('')}</span>
            <span className="mark-line">{t.markLine(it.line)}</span>
            <span className="mark-kinds">({it.kinds.map((k) => t.markKind[k]).join(', ')})</span>
            <code className="mark-text">{it.text}</code>
          </li>
        ))}
      </ul>
      <p id="marks-help" className="visually-hidden">{t.marksHelp}</p>
    </>
  );
}
