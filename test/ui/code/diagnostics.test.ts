import { describe, it, expect } from 'vitest';
import { Text } from '@codemirror/state';
import { toDiagnostic } from '../../../src/ui/code/diagnostics.ts';

const doc = Text.of(['_start:', '  movv rbx, 2', '  hlt']);

describe('assembler errors as editor diagnostics', () => {
  it('uses the text `check` prints, minus the echoed line and caret', () => {
    const d = toDiagnostic(doc, { line: 2, col: 3, length: 4, message: "unknown instruction 'movv' (did you mean 'mov'?)",
      text: "p.s:2:3: error: unknown instruction 'movv'\n  movv rbx, 2\n  ^~~~\n  hint: did you mean 'mov'?" }, 'p.s');
    expect(d).toMatchObject({ from: 10, to: 14, severity: 'error', message: "p.s:2:3: error: unknown instruction 'movv'\n  hint: did you mean 'mov'?" });
  });

  it('an engine that sends only line, column and message: the same first line, the word marked', () => {
    const d = toDiagnostic(doc, { line: 2, col: 3, message: "unknown instruction 'movv' (did you mean 'mov'?)" }, 'p.s');
    expect(d).toMatchObject({ from: 10, to: 14, message: "p.s:2:3: error: unknown instruction 'movv' (did you mean 'mov'?)" });
    // A position past the end of the program or its line is clamped, never thrown.
    expect(toDiagnostic(doc, { line: 9, col: 40, message: 'x' }, 'p.s')).toMatchObject({ from: 27, to: 27 });
  });
});
