// The engine purity lint (scripts/check-engine-imports.mjs), run on small fixture trees.

import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const script = join(import.meta.dirname, '../../scripts/check-engine-imports.mjs');
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** Writes files under a fresh tmp/src tree and runs the checker on tmp/src/engine. */
function lint(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'engine-lint-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'src', path)), { recursive: true });
    writeFileSync(join(root, 'src', path), text);
  }
  const r = spawnSync(process.execPath, [script, join(root, 'src/engine')], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('check-engine-imports', () => {
  it('passes a pure engine, including comments and strings that name forbidden things', () => {
    const r = lint({
      'engine/cpu/alu.ts': [
        "import { x } from '../mem/phys.ts';",
        '// never Date.now or Math.random here; window.foo in a comment is fine',
        "/* import React from 'react' */",
        "export const url = 'http://example.invalid/';",
        'export const windowSize = 4; export const documented = true;',
      ].join('\n'),
      'engine/mem/phys.ts': 'export const x = 1;\n',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails with file:line for each forbidden import and global', () => {
    const r = lint({
      'engine/a.ts': [
        "import { useState } from 'react';", // 1
        "import { createRoot } from 'react-dom/client';", // 2
        "import { create } from 'zustand';", // 3
        "import { select } from 'd3-selection';", // 4
        "import { Terminal } from '@xterm/xterm';", // 5
        "import type { App } from '../ui/App.tsx';", // 6
        'const t = Date.now();', // 7
        'const r = Math.random();', // 8
        'const p = performance.now();', // 9
        "document.getElementById('x');", // 10
        'window.addEventListener;', // 11
        "export { y } from 'd3';", // 12
        "const m = await import('react');", // 13
      ].join('\n'),
      'ui/App.tsx': 'export const App = 1;\n',
    });
    expect(r.status).toBe(1);
    const lines = r.stderr
      .split('\n')
      .map((l) => /a\.ts:(\d+):/.exec(l)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(r.stderr).toMatch(/imports from src\/ui/);
  });
});
