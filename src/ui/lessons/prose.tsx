// A lesson paragraph on the page: {placeholders} filled from the step's run (or "…" while it
// plays), `code` spans as code. The same fill as `sim lesson --check` (engine/course/prose.ts).

import { fillProse } from '../../engine/course/prose.ts';
import type { Values } from '../../engine/course/probe.ts';

export function Paragraph({ text, values, locale }: { text: string; values: Values | null; locale: string }) {
  const filled = values ? fillProse(text, values, locale) : text.replace(/\{[a-zA-Z][\w.]*\}/g, '…');
  // Split on backtick spans: odd pieces are code.
  const parts = filled.split('`');
  return <p>{parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : p))}</p>;
}
