// A Linux process as the host kernel keeps it: its page-table root, its memory areas (VMAs),
// program break, and the loader that builds its image from an assembled program (guest-asm.md
// "Process layout"). World: VMX root kernel.

import { LAYOUT } from '../arch/linux.ts';
import { decode, type Op } from '../cpu/decode.ts';
import { mapPage } from './pgtable.ts';
import type { PhysMem } from '../mem/phys.ts';
import type { Program } from '../asm/ir.ts';

export type VmaKind = 'text' | 'data' | 'bss' | 'heap' | 'stack' | 'mmap' | 'runtime' | 'runtime-data';
export interface Vma { start: number; end: number; r: boolean; w: boolean; x: boolean; kind: VmaKind }

export interface Process {
  pid: number;
  name: string;
  /** Host-physical address of the PML4. */
  root: number;
  vmas: Vma[];
  brkStart: number;
  brk: number;
  /** Next mmap placement (top-down from LAYOUT.MMAP_TOP). */
  mmapTop: number;
  kstackTop: number;
  exitCode: number | null;
}

/** Stack VMA: RLIMIT_STACK-sized (8 MiB), demand-paged, so it "grows on demand". */
export const STACK_SIZE = 8 << 20;

export function findVma(p: Process, va: number): Vma | undefined {
  return p.vmas.find((v) => va >= v.start && va < v.end);
}

const pageUp = (x: number) => Math.ceil(x / 4096) * 4096;

/** Build the image: text (and any runtime text) is loaded eagerly with its decoded instructions,
 *  data eagerly, bss/heap/stack on demand (zero-fill on first touch). */
export function loadImage(mem: PhysMem, p: Process, prog: Program, extra: Program[] = []) {
  for (const img of [...extra, prog]) {
    const runtime = img !== prog;
    loadSection(mem, p, img.text.base, img.text.bytes, img, { w: false, x: true }, runtime ? 'runtime' : 'text');
    if (img.data.bytes.length || !runtime)
      loadSection(mem, p, img.data.base, img.data.bytes, null, { w: true, x: false }, runtime ? 'runtime-data' : 'data');
    const dataEnd = pageUp(img.data.base + Math.max(img.data.bytes.length, 1));
    const bssEnd = pageUp(img.bss.base + img.bss.size);
    if (bssEnd > dataEnd) p.vmas.push({ start: dataEnd, end: bssEnd, r: true, w: true, x: false, kind: 'bss' });
  }
  p.brkStart = p.brk = prog.brk;
  p.vmas.push({ start: LAYOUT.STACK_TOP - STACK_SIZE, end: LAYOUT.STACK_TOP, r: true, w: true, x: false, kind: 'stack' });
}

function loadSection(mem: PhysMem, p: Process, base: number, bytes: Uint8Array, img: Program | null,
  f: { w: boolean; x: boolean }, kind: VmaKind) {
  const len = Math.max(bytes.length, 1);
  const end = pageUp(base + len);
  const ops = new Map<number, (Op | undefined)[]>();
  if (img) for (const ins of img.instrs) {
    const page = ins.addr - (ins.addr % 4096);
    if (!ops.has(page)) ops.set(page, []);
    ops.get(page)![ins.addr % 4096] = decode(ins);
  }
  for (let va = base - (base % 4096); va < end; va += 4096) {
    const fn = mem.alloc();
    const fr = mem.wframe(fn);
    for (let i = 0; i < 4096; i++) {
      const o = va + i - base;
      if (o >= 0 && o < bytes.length) fr.u8[i] = bytes[o];
    }
    fr.code = ops.get(va) ?? (img ? [] : null);
    mapPage(mem, p.root, va, fn, { w: f.w, u: true, x: f.x });
  }
  // bss shares the data section's last page when it starts inside it
  p.vmas.push({ start: base - (base % 4096), end, r: true, w: f.w, x: f.x, kind });
}
