// The assembled runtime (libc + libdune) as plain JSON data, so a build can assemble it once in
// node and ship the result: the page's worker then skips assembling ~3,000 instructions at start
// (link.ts useRuntimeImage). packRuntime/unpackRuntime round-trip a Program exactly: the same
// bytes, instructions (same keys, in the same order), symbols and addresses.
// World: none (data only).

import type { Instr, Operand, Program, Section } from '../asm/ir.ts';

/** Format version: bump when the layout of RuntimeImage or of Program changes. */
export const RUNTIME_IMAGE_VERSION = 1;

/** One operand: ['r', reg, size, high?] | ['c', cr] | ['i', value] | ['m', size, base, index, scale, disp, rip]
 *  (bigints as hex strings). */
type PackedOp = (string | number | boolean | null)[];
/** One instruction: mnemonic, address, length, line, text, rep (0 = none), operands. Its bytes
 *  are the .text bytes at its address (packRuntime checks that). */
type PackedInstr = [string, number, number, number, string, number, PackedOp[]];

export interface RuntimeImage {
  version: number;
  file: string;
  /** Sections as [offset, hex] runs; the bytes between runs are zero. */
  text: { base: number; size: number; runs: [number, string][] };
  data: { base: number; size: number; runs: [number, string][] };
  bss: { base: number; size: number };
  brk: number;
  entry: number;
  instrs: PackedInstr[];
  /** [name, value as hex] */
  symbols: [string, string][];
}

const hex = (v: bigint) => (v < 0n ? '-' + (-v).toString(16) : v.toString(16));
const big = (s: string) => (s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s));

/** Zero runs this long or longer split a section into separate runs. */
const ZERO_GAP = 16;

function packSection(s: Section) {
  const b = s.bytes, runs: [number, string][] = [];
  let i = 0;
  while (i < b.length) {
    while (i < b.length && b[i] === 0) i++;
    if (i === b.length) break;
    let end = i, zeros = 0;
    for (let k = i; k < b.length && zeros < ZERO_GAP; k++) {
      if (b[k] === 0) zeros++;
      else { zeros = 0; end = k + 1; }
    }
    let h = '';
    for (let k = i; k < end; k++) h += b[k].toString(16).padStart(2, '0');
    runs.push([i, h]);
    i = end;
  }
  return { base: s.base, size: b.length, runs };
}

function unpackSection(s: RuntimeImage['text']): Section {
  const bytes = new Uint8Array(s.size);
  for (const [off, h] of s.runs) for (let k = 0; k < h.length; k += 2) bytes[off + k / 2] = parseInt(h.slice(k, k + 2), 16);
  return { base: s.base, bytes };
}

function packOp(o: Operand): PackedOp {
  switch (o.kind) {
    case 'reg': return o.high ? ['r', o.reg, o.size, true] : ['r', o.reg, o.size];
    case 'cr': return ['c', o.cr];
    case 'imm': return ['i', hex(o.value)];
    case 'mem': return ['m', o.size, o.base, o.index, o.scale, hex(o.disp), o.rip];
  }
}

// Keys in the order the assembler creates them (layout.ts instr), so a packed-and-unpacked
// Program prints and iterates exactly like a freshly assembled one.
function unpackOp(p: PackedOp): Operand {
  switch (p[0]) {
    case 'r': return p[3] ? { kind: 'reg', reg: p[1] as number, size: p[2] as 1, high: true } : { kind: 'reg', reg: p[1] as number, size: p[2] as 1 };
    case 'c': return { kind: 'cr', cr: p[1] as 0 };
    case 'i': return { kind: 'imm', value: big(p[1] as string) };
    case 'm': return { kind: 'mem', size: p[1] as 1, base: p[2] as number | null, index: p[3] as number | null, scale: p[4] as 1, disp: big(p[5] as string), rip: p[6] as boolean };
    default: throw new Error(`runtime image: unknown operand kind ${String(p[0])}`);
  }
}

export function packRuntime(p: Program): RuntimeImage {
  const instrs = p.instrs.map((ins): PackedInstr => {
    const off = ins.addr - p.text.base;
    if (ins.bytes.length !== ins.len || ins.bytes.some((x, k) => p.text.bytes[off + k] !== x)) {
      throw new Error(`runtime image: the bytes of '${ins.text}' at ${ins.addr.toString(16)} are not the .text bytes there`);
    }
    return [ins.mnemonic, ins.addr, ins.len, ins.line, ins.text, ins.rep ?? 0, ins.ops.map(packOp)];
  });
  return {
    version: RUNTIME_IMAGE_VERSION, file: p.file, text: packSection(p.text), data: packSection(p.data),
    bss: { ...p.bss }, brk: p.brk, entry: p.entry, instrs, symbols: [...p.symbols].map(([n, v]) => [n, hex(v)]),
  };
}

export function unpackRuntime(img: RuntimeImage): Program {
  if (img.version !== RUNTIME_IMAGE_VERSION) throw new Error(`runtime image version ${img.version}, expected ${RUNTIME_IMAGE_VERSION}`);
  const text = unpackSection(img.text);
  const instrs = img.instrs.map(([mnemonic, addr, len, line, txt, rep, ops]): Instr => {
    const off = addr - text.base;
    const ins: Instr = { mnemonic: mnemonic as Instr['mnemonic'], ops: ops.map(unpackOp), addr, len, bytes: Array.from(text.bytes.subarray(off, off + len)), line, text: txt };
    if (rep) ins.rep = rep as 1 | 2;
    return ins;
  });
  return {
    file: img.file, text, data: unpackSection(img.data), bss: { ...img.bss }, brk: img.brk,
    instrs, entry: img.entry, symbols: new Map(img.symbols.map(([n, v]) => [n, big(v)])),
  };
}
