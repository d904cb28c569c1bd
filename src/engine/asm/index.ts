// The guest assembler: source text -> Program (ir.ts) or every error found, GCC-style.
// Pipeline: lexer -> parse (per line) -> symbols -> forms -> layout passes -> encode.

import type { AsmError, AsmResult, Program } from './ir.ts';
import { diag, editorDiagnostics, formatAsmError, formatAsmErrors, toAsmError, type Diag } from './diag.ts';
import { asm } from './messages.ts';
import { checkForm } from './forms.ts';
import { BSS, DATA, TEXT, converged, pageUp, runPass, PROGRAM_BASES, type Pass, type Bases } from './layout.ts';
import { PREDEFINED, RUNTIME_NAMES } from './names.ts';
import { RUNTIME_DATA_VARS } from '../arch/dune.ts';
import { parseLine } from './parse.ts';
import { preprocess, type IncludeReader, type Origin } from './preprocess.ts';
import { Symbols, type Place } from './symbols.ts';
import { LAYOUT } from '../arch/linux.ts';

export { editorDiagnostics, formatAsmError, formatAsmErrors };
export type { AsmError, AsmResult, Program, IncludeReader };
export { collectIncludes, filesReader, resolvePath } from './preprocess.ts';

const MAX_PASSES = 40;

/** Assembles a guest program. Never throws: any input gives a Program or a list of errors,
 *  sorted by line and column. */
export function assemble(source: string, file = 'prog.s', opts: AsmOptions = {}): AsmResult {
  const lines = String(source).split('\n');
  try {
    return run(String(source), file, opts);
  } catch (e) {
    // A bug, not a user error; still reported the same way so callers never see an exception.
    return { ok: false, errors: [toAsmError(diag(1, 1, 1, asm('internal-error', { why: e instanceof Error ? e.message : String(e) })), file, lines)] };
  }
}

export interface AsmOptions {
  /** Assemble the simulator's runtime (libc + libdune): text at LAYOUT.RUNTIME_TEXT, data at
   *  LAYOUT.RUNTIME_DATA, and the runtime's own names are definitions, not predefined symbols. */
  runtime?: boolean;
  /** Reads the files `.include` names (by path, resolved against the including file's). Without
   *  one, an .include is the error "this assembler has no files to read". */
  include?: IncludeReader;
}

const RUNTIME_PREDEFINED = new Map([...PREDEFINED].filter(([k]) => !RUNTIME_NAMES.includes(k) && !RUNTIME_DATA_VARS.includes(k as never)));

function run(source: string, file: string, opts: AsmOptions): AsmResult {
  const bases: Bases = opts.runtime ? { text: LAYOUT.RUNTIME_TEXT, data: LAYOUT.RUNTIME_DATA } : PROGRAM_BASES;
  const pp = preprocess(source, file, opts.include);
  const { lines, origins } = pp;
  const diags: Diag[] = pp.diags;
  const stmts = lines.map((l, i) => parseLine(l, i + 1, diags));
  /** How a hint names a line: "line 12" in the main file, "lib.s:4" elsewhere (messages.ts placeEn). */
  const lineName = (i: number): Place => (origins[i - 1]?.file === file ? { line: origins[i - 1].line } : origins[i - 1] ? { file: origins[i - 1].file, line: origins[i - 1].line } : { line: i });
  const syms = new Symbols(stmts, diags, opts.runtime ? RUNTIME_PREDEFINED : PREDEFINED, lineName);
  const checked = stmts.map(s => (s.body.k === 'instr' ? checkForm(s.body.mn, s.body.mt, s.body.ops, s.line, diags, s.body.rep) : null));

  let prev: Pass | null = null;
  let p = runPass(stmts, syms, null, checked, bases);
  for (let k = 0; !prev || !converged(prev, p); k++) {
    if (k === MAX_PASSES) {
      diags.push(diag(1, 1, 1, asm('layout-unsettled', { passes: MAX_PASSES }), asm('layout-moving')));
      break;
    }
    prev = p;
    p = runPass(stmts, syms, prev, checked, bases);
  }
  const consts = syms.constants(); // in the final pass's scope: its errors land in p.errors
  for (const d of p.errors) diags.push(d);

  const addr = (i: number) => p.base[p.sec[i]] + p.off[i];
  let entry = p.instrs.length ? p.instrs[0].addr : bases.text;
  const start = syms.defs.get('_start');
  if (start) {
    if (start.kind !== 'label' || p.sec[start.stmt] !== TEXT) {
      diags.push(diag(start.line, start.t.col, start.t.len, asm('start-not-text')));
    } else entry = addr(start.stmt);
  }
  if (diags.length) return { ok: false, errors: sortErrors(diags).map(d => toAsmError(d, file, lines, origins)) };
  // An instruction's line is the line of the main file it comes from (for an included file or a
  // macro, the outermost .include or use of the macro), so views and breakpoints find it.
  for (const ins of p.instrs) ins.line = mainLine(origins[ins.line - 1], file) ?? ins.line;

  const section = (sec: number) => {
    const bytes = new Uint8Array(p.size[sec]);
    for (const c of p.chunks) if (c.sec === sec) bytes.set(c.bytes, c.off);
    return { base: p.base[sec], bytes };
  };
  const symbols = new Map<string, bigint>();
  for (const [name, d] of syms.defs) {
    const v = d.kind === 'label' ? BigInt(addr(d.stmt)) : consts.get(name);
    if (v !== undefined && v !== null) symbols.set(name, v);
  }
  const bss = { base: p.base[BSS], size: p.size[BSS] };
  const program: Program = {
    file, text: section(TEXT), data: section(DATA), bss, brk: pageUp(bss.base + bss.size),
    instrs: p.instrs, entry, symbols,
  };
  return { ok: true, program };
}

function mainLine(o: Origin | undefined, file: string): number | undefined {
  if (!o) return undefined;
  if (o.file === file && o.uses.length === 0) return o.line;
  for (let i = o.uses.length - 1; i >= 0; i--) if (o.uses[i].file === file) return o.uses[i].line;
  return o.file === file ? o.line : undefined;
}

function sortErrors(ds: Diag[]): Diag[] {
  const seen = new Set<string>();
  const out = ds.filter(d => {
    const k = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return out.map((d, i) => ({ d, i })).sort((a, b) => a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i).map(x => x.d);
}
