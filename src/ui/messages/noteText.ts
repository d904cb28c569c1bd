// A kernel event's detail in the user's language: its note (engine/trace/notes.ts) through the
// catalog; an event without one (an older recording) shows the trace's words.
import type { Note } from '../../engine/trace/notes.ts';
import { messages } from './index.ts';

export function noteText(e: { detail: string; note?: Note }): string {
  if (!e.note) return e.detail;
  const f = messages.kernel[e.note.id] as ((a: unknown) => string) | undefined;
  return f ? f(e.note.args) : e.detail;
}
