// The guest language as a CodeMirror mode: each line is split by the assembler's own lexer
// (guestNames.ts classifyLine) and every span gets a highlighting tag named for its kind.

import { HighlightStyle, StreamLanguage, syntaxHighlighting, type StringStream } from '@codemirror/language';
import { Tag, tags } from '@lezer/highlight';
import { classifyLine, type GuestKind, type Span } from './guestNames.ts';

/** One tag per kind, each a sub-tag of a standard one (so other highlighters still colour it;
 *  Lezer derives only from unmodified tags). */
export const GUEST_TAGS: Record<Exclude<GuestKind, 'op' | 'ident'>, Tag> = {
  comment: Tag.define(tags.lineComment),
  label: Tag.define(tags.labelName),
  definition: Tag.define(tags.labelName),
  directive: Tag.define(tags.processingInstruction),
  mnemonic: Tag.define(tags.keyword),
  register: Tag.define(tags.variableName),
  number: Tag.define(tags.number),
  string: Tag.define(tags.string),
  syscall: Tag.define(tags.atom),
  libdune: Tag.define(tags.variableName),
  constant: Tag.define(tags.atom),
};

interface LineState { spans: Span[]; i: number }

const parser = {
  name: 'guest-asm',
  startState: (): LineState => ({ spans: [], i: 0 }),
  copyState: (s: LineState): LineState => ({ spans: s.spans, i: s.i }),
  token(stream: StringStream, state: LineState): string | null {
    if (stream.sol()) { state.spans = classifyLine(stream.string); state.i = 0; }
    while (state.i < state.spans.length && state.spans[state.i].to <= stream.pos) state.i++;
    const s = state.spans[state.i];
    if (!s) { stream.skipToEnd(); return null; }
    if (stream.pos < s.from) { stream.pos = s.from; return null; }
    stream.pos = s.to;
    state.i++;
    return s.kind === 'op' || s.kind === 'ident' ? null : s.kind;
  },
  languageData: { commentTokens: { line: ';' } },
  tokenTable: GUEST_TAGS,
};

export const guestLanguage = StreamLanguage.define(parser);

/** Spans get the class `g-KIND` (code.css colours them per theme; tests look for them). */
export const guestHighlight = syntaxHighlighting(HighlightStyle.define(
  Object.entries(GUEST_TAGS).map(([kind, tag]) => ({ tag, class: `g-${kind}` }))));
