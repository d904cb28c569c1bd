// The program's source with line numbers: the line of the instruction at RIP marked and kept in
// view, and a breakpoint toggle in the gutter of every line (click, or Enter/Space on it).

import { useEffect, useMemo, useRef } from 'react';
import { messages } from '../../messages/index.ts';
import { useDomId, VisuallyHidden } from './a11y.tsx';
import './machine.css';

const t = messages.machine;

export interface SourcePanelProps {
  source: string;
  /** 1-based line of the current instruction (MachineView.line), or null (kernel, runtime). */
  line: number | null;
  breakpoints: Set<number>;
  onToggleBreakpoint(line: number): void;
}

export function SourcePanel({ source, line, breakpoints, onToggleBreakpoint }: SourcePanelProps) {
  const id = useDomId('src');
  const lines = useMemo(() => source.replace(/\n$/, '').split('\n'), [source]);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (line === null) return;
    // Scroll the list only (never the page or the column around it).
    const list = listRef.current, el = list?.querySelector<HTMLElement>(`[data-line="${line}"]`);
    if (!list || !el) return;
    const top = el.offsetTop, bottom = top + el.offsetHeight; // .src-lines is the offsetParent
    if (top < list.scrollTop) list.scrollTop = top;
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
  }, [line]);

  return (
    <section className="panel machine-panel source-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t.sourceTitle}</h2>
      <ol ref={listRef} className="src-lines mono" aria-label={t.sourceLabel}>
        {lines.map((text, i) => {
          const n = i + 1, bp = breakpoints.has(n), cur = n === line;
          return (
            <li key={n} data-line={n} className={'src-line' + (cur ? ' current' : '') + (bp ? ' bp' : '')}
              aria-current={cur ? 'step' : undefined}>
              <button type="button" className="src-gutter" aria-pressed={bp} aria-label={t.bpToggle(n)}
                onClick={() => onToggleBreakpoint(n)}>
                <span className="src-dot" aria-hidden="true">{bp ? '●' : ''}</span>
                <span className="src-num" aria-hidden="true">{n}</span>
              </button>
              <span className="src-mark" aria-hidden="true">{cur ? '▶' : ''}</span>
              <code className="src-text">{text || ' '}</code>
              {cur && <VisuallyHidden> ({t.currentLine})</VisuallyHidden>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
