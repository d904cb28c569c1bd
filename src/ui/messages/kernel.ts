// The host kernel's and the Dune module's notes (`kernel` events' detail) in the page: English is
// the trace's own text (engine/trace/notes.ts), so the page and the CLI say the same words.
import { NOTE_TEXT } from '../../engine/trace/notes.ts';

export const kernel = NOTE_TEXT;
