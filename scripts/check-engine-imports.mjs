#!/usr/bin/env node
// Keeps src/engine a pure, deterministic library (STYLE.md rule 1): no UI libraries, no imports
// from src/ui, no DOM globals, no wall clock, no unseeded randomness.
// Usage: node scripts/check-engine-imports.mjs [ENGINE_DIR]   (default: src/engine)
// Prints file:line: reason for each violation and exits 1 if there is any.

import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = resolve(process.argv[2] ?? join(repo, 'src/engine'));
// src/ui next to the engine dir, so a fixture tree (tmp/src/engine, tmp/src/ui) checks the same.
const uiDir = resolve(engineDir, '..', 'ui');

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** Packages the engine must not import (the name itself or any subpath). */
const FORBIDDEN_PACKAGES = [
  [/^react(\/|$)/, 'react'],
  [/^react-dom(\/|$)/, 'react-dom'],
  [/^zustand(\/|$)/, 'zustand'],
  [/^d3(-[\w-]+)?(\/|$)/, 'd3'],
  [/^@xterm\//, '@xterm/*'],
];

/** Non-deterministic or DOM-bound globals. */
const FORBIDDEN_CODE = [
  [/\bdocument\s*\./, 'uses document. (no DOM in the engine)'],
  [/\bwindow\s*\./, 'uses window. (no DOM in the engine)'],
  [/\bDate\s*\.\s*now\b/, 'uses Date.now (wall clock; engine time is simulated cycles)'],
  [/\bMath\s*\.\s*random\b/, 'uses Math.random (unseeded randomness)'],
  [/\bperformance\s*\.\s*now\b/, 'uses performance.now (wall clock)'],
];

/** import x from 'm' / import 'm' / export ... from 'm' / import('m') / require('m') */
const IMPORT_SPEC =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (SOURCE.test(name)) yield p;
  }
}

/**
 * Blanks out comments (keeping newlines, so line numbers hold) while leaving string
 * contents alone, so 'http://x' is not a comment and a comment may mention Date.now.
 */
function stripComments(src) {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      while (i < src.length && src[i] !== '\n') { out += ' '; i++; }
    } else if (c === '/' && d === '*') {
      out += '  '; i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) {
        out += src[i] === '\n' ? '\n' : ' '; i++;
      }
      out += '  '; i += 2;
    } else if (c === '"' || c === "'" || c === '`') {
      out += c; i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\') { out += src[i]; i++; }
        if (c !== '`' && src[i] === '\n') break; // unterminated; don't swallow the file
        out += src[i]; i++;
      }
      if (i < src.length) { out += src[i]; i++; }
    } else {
      out += c; i++;
    }
  }
  return out;
}

function importProblem(spec, file) {
  for (const [re, name] of FORBIDDEN_PACKAGES) {
    if (re.test(spec)) return `imports ${name} ('${spec}')`;
  }
  const inUi = (p) => p === uiDir || p.startsWith(uiDir + sep);
  if (spec.startsWith('.') && inUi(resolve(dirname(file), spec))) {
    return `imports from src/ui ('${spec}')`;
  }
  if (/^(\/|@\/|~\/)?src\/ui(\/|$)/.test(spec) || /^[@~]\/ui(\/|$)/.test(spec)) {
    return `imports from src/ui ('${spec}')`;
  }
  return null;
}

function check(file) {
  const problems = [];
  const lines = stripComments(readFileSync(file, 'utf8')).split('\n');
  lines.forEach((line, n) => {
    for (const m of line.matchAll(IMPORT_SPEC)) {
      const why = importProblem(m[2], file);
      if (why) problems.push({ line: n + 1, why });
    }
    for (const [re, why] of FORBIDDEN_CODE) {
      if (re.test(line)) problems.push({ line: n + 1, why });
    }
  });
  return problems;
}

if (!existsSync(engineDir)) {
  console.log(`check-engine-imports: ${relative(repo, engineDir) || engineDir} does not exist; nothing to check`);
  process.exit(0);
}

let count = 0;
let files = 0;
for (const file of walk(engineDir)) {
  files++;
  for (const { line, why } of check(file)) {
    console.error(`${relative(process.cwd(), file)}:${line}: ${why}`);
    count++;
  }
}
if (count > 0) {
  console.error(`check-engine-imports: ${count} problem(s); src/engine must stay pure and deterministic`);
  process.exit(1);
}
console.log(`check-engine-imports: ${files} engine file(s) OK`);
