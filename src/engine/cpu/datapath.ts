// Data accesses of the check-free blocks (block.ts), and the read-modify-write ALU forms to memory
// (ALU_MR, ALU_MI: one implementation for the interpreter and the blocks). World: hardware.
//
// A block's load, store or read-modify-write first tries its hit: the page is the one Machine.xlate
// last translated for that access (its rVpn / wVpn memo, at the block's MMU generation), the access
// does not cross the page, no store hook is installed, and the frame is backed, of the current
// snapshot epoch and holds no decoded code. Then Machine.load / store would have done nothing but
// move the bytes (xlate's own fast path: no TLB lookup, no walk, no event, no cycles, no fault), so
// the hit moves them and nothing else; the caller need not write RIP, instret or cycles back first.
// Anything else returns false, and the caller takes the machine's own path.

import { alu, R } from './alu.ts';
import { rlo, rhi } from './regs.ts';
import { ea } from './operands.ts';
import { OPC, type Op } from './decode.ts';
import { WRITE, type Access } from '../mmu/mmu.ts';
import type { Machine } from '../machine.ts';
import type { Frame } from '../mem/phys.ts';

const ALU_MR = OPC.ALU_MR;
/** ALU indexes below this write their result (cmp and test do not). */
const A_WRITES = 7;

const vpnOf = (va: number) => (va <= 0xffffffff ? va >>> 12 : Math.floor(va / 4096));
const frameOf = (pa: number) => (pa <= 0xffffffff ? pa >>> 12 : Math.floor(pa / 4096));

/** The frame a hit may write: backed, private to the current epoch (wframe would copy neither),
 *  no decoded code on it (a write would drop it and move codeGen). */
function writable(m: Machine, pa: number): Frame | undefined {
  const mem = m.mem, f = mem.frames[frameOf(pa)];
  return f !== undefined && f.epoch === mem.epoch && f.code === null ? f : undefined;
}

function read(f: Frame | undefined, o: number, size: number) {
  if (f === undefined) R.lo = R.hi = 0;
  else if (size === 8) { R.lo = f.dv.getUint32(o, true); R.hi = f.dv.getUint32(o + 4, true); }
  else if (size === 4) { R.lo = f.dv.getUint32(o, true); R.hi = 0; }
  else if (size === 2) { R.lo = f.dv.getUint16(o, true); R.hi = 0; }
  else { R.lo = f.u8[o]; R.hi = 0; }
}
function write(f: Frame, o: number, size: number, lo: number, hi: number) {
  if (size === 8) { f.dv.setUint32(o, lo >>> 0, true); f.dv.setUint32(o + 4, hi >>> 0, true); }
  else if (size === 4) f.dv.setUint32(o, lo >>> 0, true);
  else if (size === 2) f.dv.setUint16(o, lo & 0xffff, true);
  else f.u8[o] = lo & 0xff;
}

/** No page: a block's memo of a page it has not looked up, or one it may not take. */
export const NO_DV: DataView = new DataView(new ArrayBuffer(8));

/** The bytes of page vpn as a load hit reads them at MMU generation gen: the frame of xlate's
 *  read memo, when that memo holds vpn and the frame is backed; else NO_DV (the load goes
 *  through the machine). A block keeps what this returns until a memory op goes through the
 *  machine (hits change neither the memos nor the frames array). */
export function readPage(m: Machine, vpn: number, gen: number): DataView {
  if (m.rGen !== gen || vpn !== m.rVpn) return NO_DV;
  const f = m.mem.frames[frameOf(m.rBase)];
  return f === undefined ? NO_DV : f.dv;
}

/** The same for a store hit: xlate's write memo holds vpn, no store hook is installed, and the
 *  frame may be written in place (writable). */
export function writePage(m: Machine, vpn: number, gen: number): DataView {
  if (m.onStore !== null || m.wGen !== gen || vpn !== m.wVpn) return NO_DV;
  const f = writable(m, m.wBase);
  return f === undefined ? NO_DV : f.dv;
}

/** What m.xlate(va, acc) does (va in page vpn, not a supervisor access) when its memo of the
 *  last page misses and translate() hits the 4 KiB TLB entry the MMU's data memo (mmu/datamemo.ts)
 *  remembers for the page: the hit's effects, then xlate's memo of the page (both memos for a
 *  write). False, with nothing done, when the data memo cannot say. */
export function xlateByMemo(m: Machine, vpn: number, acc: Access): boolean {
  const mmu = m.mmu, i = mmu.dmemo.hit(mmu, m.xc, vpn, acc);
  if (i < 0) return false;
  const base = mmu.tlb4k.frame[i] * 4096, g = mmu.gen;
  m.rVpn = vpn; m.rBase = base; m.rGen = g;
  if (acc === WRITE) { m.wVpn = vpn; m.wBase = base; m.wGen = g; }
  return true;
}

/** After an access through the machine to va: the data memo learns where its page's entry is. */
export function noteData(m: Machine, va: number) {
  if (va >= 0) m.mmu.dmemo.note(m.mmu, m.xc, vpnOf(va));
}

/** ALU_MR / ALU_MI (op dst, src with dst in memory) as a hit at MMU generation gen: what aluMem
 *  does when its write check, load and store all take xlate's fast path (the page both memos
 *  hold: the load reads through the read memo's frame, the store writes through the write memo's).
 *  va: the operand's linear address (eaLinear). */
export function aluMemHit(m: Machine, op: Op, va: number, gen: number): boolean {
  const w = op.w, writes = op.sub < A_WRITES;
  if (va < 0 || (va & 4095) > 4096 - w || m.rGen !== gen) return false;
  const vpn = vpnOf(va);
  if (vpn !== m.rVpn) return false;
  let fw: Frame | undefined;
  if (writes) {
    if (m.onStore !== null || m.wGen !== gen || vpn !== m.wVpn) return false;
    fw = writable(m, m.wBase + (va & 4095));
    if (fw === undefined) return false;
  }
  const pa = m.rBase + (va & 4095), L = m.cpu.lo, H = m.cpu.hi;
  read(m.mem.frames[frameOf(pa)], pa & 4095, w);
  const dl = R.lo, dh = R.hi;
  alu(m.cpu, op.sub, w, dl, dh, op.code === ALU_MR ? rlo(L, op.s) : op.ilo, op.code === ALU_MR ? rhi(H, op.s) : op.ihi);
  if (fw !== undefined) write(fw, va & 4095, w, R.lo, R.hi);
  return true;
}

/** ALU_MR / ALU_MI through the machine: a read-modify-write faults as a write, before changing
 *  flags (the write is checked first); a store that faults after all puts the flags back. */
export function aluMem(m: Machine, op: Op) {
  const c = m.cpu, va = ea(m, op.m!), w = op.w;
  if (op.sub < A_WRITES) m.xlate(va, WRITE);
  m.load(va, w);
  const f = c.rflags();
  alu(c, op.sub, w, m.vlo, m.vhi, op.code === ALU_MR ? rlo(c.lo, op.s) : op.ilo, op.code === ALU_MR ? rhi(c.hi, op.s) : op.ihi);
  if (op.sub < A_WRITES) { try { m.store(va, w, R.lo, R.hi); } catch (e) { c.setRflags(f); throw e; } }
}
