// The machine: one CPU, host-physical memory, the MMU and VMX, and the host kernel installed on
// it. Owns the run loop, the trace, costs and snapshots. Pure and deterministic: the same
// program, input and knobs give the same events. World: everything meets here.

import { CpuState, linear } from './cpu/state.ts';
import { CpuFault, VmExit, Halt } from './cpu/fault.ts';
import { runBatch } from './cpu/exec.ts';
import { deliver } from './cpu/interrupts.ts';
import { PhysMem, OutOfMemory, type MemSnapshot } from './mem/phys.ts';
import { Mmu, DEFAULT_KNOBS, READ, WRITE, FETCH, type Knobs, type XlateCtx, type Access } from './mmu/mmu.ts';
import { Vmx } from './vtx/vmx.ts';
import { DEFAULT_COSTS, type CostModel } from './cost.ts';
import { VEC } from './arch/x86.ts';
import type { Op } from './cpu/decode.ts';
import { kindMask, markMask, hexVa, KIND_BIT, type EventBody, type EventType, type TraceEvent, type TraceSink } from './trace/events.ts';
import { rep, tell, type ReportMsg } from './report.ts';
import { MarkLog, type LoggingSink } from './trace/marklog.ts';
import { FetchMemos, fetchPage } from './cpu/fetchmemo.ts';

const INSTR_BIT = KIND_BIT.instr;
type InstrSink = TraceSink & Required<Pick<TraceSink, 'instr'>>;

export interface MachineConfig {
  /** Host-physical memory in bytes (default 256 MiB). */
  memBytes?: number;
  knobs?: Partial<Knobs>;
  costs?: CostModel;
}

export interface ExitStatus { code: number; how: 'exit' | 'signal' | 'unhandled-vmexit' | 'budget' }

/** Software that runs in VMX root mode in TypeScript: the simulated Linux kernel and Dune module.
 *  The machine calls it for things the hardware cannot decide. */
export interface HostSoftware {
  /** A snapshot of the software's own state, and its restore. */
  save(): unknown;
  restore(s: unknown): void;
  /** Host-physical memory ran out while the kernel worked for the current process (the OOM killer). */
  outOfMemory(e: OutOfMemory): void;
  /** Lines telling the user why the machine or a process stopped (the CLI's stderr, the page), in
   *  English and as keys (kernel/report.ts tell). */
  report: string[];
  reportMsgs: ReportMsg[];
}


export class Machine {
  cpu = new CpuState();
  mem: PhysMem;
  mmu: Mmu;
  vmx: Vmx;
  costs: CostModel;
  knobs: Knobs;
  cycles = 0;
  instret = 0;
  faults = 0;
  vmexits: Record<string, number> = {};
  sink: TraceSink | null = null;
  /** A sink is attached: every event is counted (seq), whether or not it is built. */
  tracing = false;
  /** The event kinds the sink wants built (a KIND_BIT mask); the others only advance seq. */
  want = 0;
  /** No sink, or one that neither builds nor marks instruction events (each is only counted:
   *  seq++). Check-free blocks (cpu/block.ts) run only then. Set by attach. */
  instrUnbuilt = true;
  /** The kinds the sink only marks (seq and cycles, no event built). */
  marked = 0;
  seq = 0;
  /** Set when the process or machine has stopped; the run loop returns. */
  status: ExitStatus | null = null;
  /** Exception-delivery nesting, for #DF and triple fault. */
  delivering = 0;
  host: HostSoftware | null = null;
  /** Guest output by fd (collected also when not tracing). */
  out: { fd: number; text: string }[] = [];
  /** A measurement hook called at every RDTSC (the paper benchmark harness reads the page-walk
   *  counter there); null costs nothing. */
  onRdtsc: ((m: Machine) => void) | null = null;
  /** An observer of every data store through translation (the CPU's and the natives'), called
   *  once the address has translated and just before the bytes change (so it can read the old
   *  value): linear address, host-physical address, size and the value's 32-bit halves. A page
   *  split store calls it once per page. The page-table write watch (trace/ptwatch.ts) and the
   *  heap map (player/heapmap.ts) install it during a replay; null (the default) costs one test. */
  onStore: ((va: number, pa: number, size: number, lo: number, hi: number) => void) | null = null;
  /** The session's instruction limit (--max-instructions): a native routine waiting for its
   *  fault handler stops there too, so the budget holds on every path. */
  instrLimit = Infinity;
  /** Pending external interrupt vector (the timer), or -1. */
  pendingIntr = -1;
  /** When the host timer next fires (modelled cycles); set by the kernel at boot. */
  timerAt = Infinity;
  timerVector = 0xef;
  timerPeriod = 13_200_000;

  /** Translation context for the current CPL, and for implicit supervisor accesses. */
  xc!: XlateCtx;
  xs!: XlateCtx;
  // Fetch and data fast paths: the last page translated, valid while mmu.gen is unchanged.
  fPage = -1; fCode: (Op | undefined)[] | null = null; fGen = -1; fCodeGen = -1;
  rVpn = -1; rBase = 0; rGen = -1;
  wVpn = -1; wBase = 0; wGen = -1;
  // The same for implicit supervisor accesses (the kernel's and libdune's native routines).
  srVpn = -1; srBase = 0; srGen = -1;
  swVpn = -1; swBase = 0; swGen = -1;
  /** Scratch for 64-bit loads: low and high halves of the last value read. */
  vlo = 0; vhi = 0;

  constructor(cfg: MachineConfig = {}) {
    this.mem = new PhysMem(Math.floor((cfg.memBytes ?? 256 * 1024 * 1024) / 4096));
    this.costs = cfg.costs ?? DEFAULT_COSTS;
    this.knobs = { ...DEFAULT_KNOBS, ...cfg.knobs };
    this.mmu = new Mmu(this.mem, this, this.knobs);
    this.vmx = new Vmx(this);
    this.refresh();
  }

  get cpl(): 0 | 3 { return this.cpu.cpl; }
  get vmxMode(): 'root' | 'non-root' { return this.vmx.nonRoot ? 'non-root' : 'root'; }

  attach(sink: TraceSink | null) {
    this.drainMarks();
    this.sink = sink; this.tracing = sink !== null; this.want = kindMask(sink); this.marked = markMask(sink);
    this.instrUnbuilt = (this.want & INSTR_BIT) === 0;
    this.instrSink = sink?.instr ? sink as InstrSink : null;
    this.markLog = (sink as LoggingSink | null)?.markLog ?? null;
  }
  /** The attached sink's mark log (LoggingSink), or null: its marks are then mark() calls. */
  private markLog: MarkLog | null = null;
  /** A marked event: to the sink's log, or through its mark(). Kept small (the entry is written
   *  apart, logMark): it is inlined into the system-call path's every noteBit, and a larger one
   *  there left the fetch and the register writes out of line. */
  private markOne(type: EventType, bit: number) {
    const log = this.markLog;
    if (log === null) { this.sink!.mark!(type, this.seq++, this.cycles); return; }
    const k = 31 - Math.clz32(bit), f = log.filter, o = f.seen[k]++;
    if (o === f.next[k]) this.logMark(log, k, o); else this.seq++; // else counted only (MarkFilter)
  }
  private logMark(log: MarkLog, k: number, o: number) {
    const f = log.filter, i = log.n;
    f.next[k] = o + f.stride[k];
    log.kind[i] = k; log.seq[i] = this.seq++; log.cycles[i] = this.cycles; log.ord[i] = o;
    if (++log.n === MarkLog.SIZE) this.drainMarks();
  }
  /** Hand the marks logged so far to the sink (attach does, and a full log): call before the
   *  sink's owner reads what the marks feed. */
  drainMarks() {
    const log = this.markLog;
    if (log !== null && log.n > 0) { log.take(log); log.n = 0; }
  }
  /** The sink when it has an `instr` method (TraceSink.instr). Called as a method, not bound: a
   *  bound function is a new call target at every attach, which makes the optimised run loop
   *  (where this call is inlined) deoptimise at each new sink, and recompiling it costs more
   *  than a short traced run. */
  private instrSink: InstrSink | null = null;

  /** Does the attached sink want events of this type built? (Else emit them only to count or
   *  mark: a body with just its type will do.) */
  wants(type: EventType): boolean { return (this.want & ~this.marked & KIND_BIT[type]) !== 0; }

  emit(body: EventBody | object) {
    if (!this.sink) return;
    const bit = KIND_BIT[(body as EventBody).type];
    if (!(this.want & bit)) { this.seq++; return; }
    if (this.marked & bit) { this.markOne((body as EventBody).type, bit); return; }
    const e = { seq: this.seq++, ...(body as EventBody), cycles: this.cycles, vmx: this.vmxMode, cpl: this.cpu.cpl } as TraceEvent;
    // Field order: seq, type, ..., then cycles/vmx/cpl as the spec lists them first; keep seq first and type second.
    this.sink.event(e);
  }

  /** An event of a kind the sink does not build (wants(type) is false): counted, or marked.
   *  Hot paths call this instead of building a body for emit (a system call's ring events). */
  note(type: EventType) { this.noteBit(type, KIND_BIT[type]); }
  /** wants(type) and note(type) for hot paths, given the kind's bit (KIND_BIT[type], a constant
   *  there): no lookup by name per event (a system call's ring and syscall events). */
  wantsBit(bit: number): boolean { return (this.want & ~this.marked & bit) !== 0; }
  noteBit(type: EventType, bit: number) {
    if (this.sink === null) return;
    if (this.want & this.marked & bit) this.markOne(type, bit);
    else this.seq++;
  }

  /** The `instr` event of op, which retired at rip: built only when wanted, handed as fields to
   *  a sink with an `instr` method (no event object), else built without spreading. */
  emitInstr(op: Op, rip: number) {
    if (!(this.want & INSTR_BIT)) { this.seq++; return; }
    if (this.marked & INSTR_BIT) { this.markOne('instr', INSTR_BIT); return; }
    const own = rip === op.addr; // the op's own address (not another mapping of its page)
    const ripHex = own ? op.ripHex ??= hexVa(rip) : hexVa(rip);
    const vmx = this.vmx.nonRoot ? 'non-root' : 'root';
    if (this.instrSink !== null) { this.instrSink.instr(this.seq++, ripHex, op.text, this.cycles, vmx, this.cpu.cpl, own ? op : null); return; }
    this.sink!.event({ seq: this.seq++, type: 'instr', rip: ripHex, text: op.text, cycles: this.cycles, vmx, cpl: this.cpu.cpl });
  }

  /** Recompute the translation contexts after any change to CPL, CRs, EFER or VMX mode. */
  refresh(bump = true) {
    // In place: this runs at every CPL change (each system call twice), and the contexts are
    // only read during a translation, never kept.
    this.xc ??= { cr0: 0, cr3: 0, cr4: 0, efer: 0, cpl: 0, nonRoot: false, vpid: 0, ept: false, eptp: 0 };
    this.xs ??= { ...this.xc };
    this.setCtx(this.xc, this.cpu.cpl);
    this.setCtx(this.xs, 0);
    if (bump) this.mmu.gen++;
  }
  /** refresh() after an instruction that changes the CPL and nothing else translation reads
   *  (SYSCALL, SYSRET: CS, SS, RFLAGS, RIP, RCX, R11; the model has no SMAP, so RFLAGS.AC does not
   *  count): the other contexts' fields are as the last refresh left them. */
  refreshCpl() {
    this.xc.cpl = this.cpu.cpl;
    this.mmu.gen++;
  }
  private setCtx(x: XlateCtx, cpl: number) {
    const c = this.cpu, v = this.vmx;
    x.cr0 = c.cr0; x.cr3 = c.cr3; x.cr4 = c.cr4; x.efer = c.efer; x.cpl = cpl;
    x.nonRoot = v.nonRoot; x.vpid = v.nonRoot ? v.vpid : 0; x.ept = v.nonRoot && v.eptOn; x.eptp = v.eptp;
  }

  // ---- memory access through translation ---------------------------------------------------

  /** Host-physical address of va for the current CPL (sup: an implicit supervisor access). */
  xlate(va: number, acc: Access, sup = false): number {
    const vpn = va <= 0xffffffff ? va >>> 12 : Math.floor(va / 4096);
    const gen = this.mmu.gen;
    if (!sup) {
      if (acc === READ && vpn === this.rVpn && gen === this.rGen) return this.rBase + (va & 4095);
      if (acc === WRITE && vpn === this.wVpn && gen === this.wGen) return this.wBase + (va & 4095);
    } else {
      if (acc === READ && vpn === this.srVpn && gen === this.srGen) return this.srBase + (va & 4095);
      if (acc === WRITE && vpn === this.swVpn && gen === this.swGen) return this.swBase + (va & 4095);
    }
    const pa = this.mmu.translate(sup ? this.xs : this.xc, va, acc);
    if (acc !== FETCH) {
      const base = pa - (va - vpn * 4096), g = this.mmu.gen;
      if (!sup) {
        this.rVpn = vpn; this.rBase = base; this.rGen = g;
        if (acc === WRITE) { this.wVpn = vpn; this.wBase = base; this.wGen = g; }
      } else {
        this.srVpn = vpn; this.srBase = base; this.srGen = g;
        if (acc === WRITE) { this.swVpn = vpn; this.swBase = base; this.swGen = g; }
      }
    }
    return pa;
  }

  // Offsets in a page are taken with `& 4095`, not `% 4096`: addresses are non-negative integers
  // below 2^53, for which the two agree, and `%` on a double is a slow call in V8. Page numbers
  // below 4 GiB likewise by `>>> 12` (xlate, load, storePa).

  /** Load size bytes at va into vlo/vhi (zero-extended). */
  load(va: number, size: number, sup = false) {
    if ((va & 4095) + size > 4096) return this.loadSplit(va, size, sup);
    const pa = this.xlate(va, READ, sup);
    const f = this.mem.frames[pa <= 0xffffffff ? pa >>> 12 : Math.floor(pa / 4096)];
    if (!f) { this.vlo = 0; this.vhi = 0; return; }
    const o = pa & 4095;
    if (size === 8) { this.vlo = f.dv.getUint32(o, true); this.vhi = f.dv.getUint32(o + 4, true); }
    else if (size === 4) { this.vlo = f.dv.getUint32(o, true); this.vhi = 0; }
    else if (size === 2) { this.vlo = f.dv.getUint16(o, true); this.vhi = 0; }
    else { this.vlo = f.u8[o]; this.vhi = 0; }
  }
  private loadSplit(va: number, size: number, sup: boolean) {
    // Translate both pages first, so a fault leaves nothing half done.
    const n1 = 4096 - (va % 4096);
    const pa1 = this.xlate(va, READ, sup), pa2 = this.xlate(va + n1, READ, sup);
    let lo = 0, hi = 0;
    for (let i = 0; i < size; i++) {
      const b = this.mem.read8(i < n1 ? pa1 + i : pa2 + i - n1);
      if (i < 4) lo |= b << (8 * i); else hi |= b << (8 * (i - 4));
    }
    this.vlo = lo >>> 0; this.vhi = hi >>> 0;
  }

  store(va: number, size: number, lo: number, hi: number, sup = false) {
    if ((va & 4095) + size > 4096) return this.storeSplit(va, size, lo, hi, sup);
    const pa = this.xlate(va, WRITE, sup);
    if (this.onStore !== null) this.onStore(va, pa, size, lo, hi);
    this.storePa(pa, size, lo, hi);
  }
  storePa(pa: number, size: number, lo: number, hi: number) {
    const f = this.mem.wframe(pa <= 0xffffffff ? pa >>> 12 : Math.floor(pa / 4096));
    if (f.code) { f.code = null; this.mem.codeGen++; }
    const o = pa & 4095;
    if (size === 8) { f.dv.setUint32(o, lo >>> 0, true); f.dv.setUint32(o + 4, hi >>> 0, true); }
    else if (size === 4) f.dv.setUint32(o, lo >>> 0, true);
    else if (size === 2) f.dv.setUint16(o, lo & 0xffff, true);
    else f.u8[o] = lo & 0xff;
  }
  private storeSplit(va: number, size: number, lo: number, hi: number, sup: boolean) {
    const n1 = 4096 - (va % 4096);
    const pa1 = this.xlate(va, WRITE, sup), pa2 = this.xlate(va + n1, WRITE, sup);
    if (this.onStore !== null) {
      // Each page's part, its bytes shifted down (a split store never exceeds 8 bytes).
      const v = BigInt(lo >>> 0) | (BigInt(hi >>> 0) << 32n), r = v >> BigInt(8 * n1);
      this.onStore(va, pa1, n1, Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
      this.onStore(va + n1, pa2, size - n1, Number(r & 0xffffffffn), Number((r >> 32n) & 0xffffffffn));
    }
    for (let i = 0; i < size; i++) {
      const b = i < 4 ? (lo >>> (8 * i)) & 0xff : (hi >>> (8 * (i - 4))) & 0xff;
      this.mem.write8(i < n1 ? pa1 + i : pa2 + i - n1, b);
    }
  }

  /** n 8-byte stores to the quadwords from va on (all in va's page), made just after a store to
   *  that page: the i-th of the value x + i * step, its 32-bit halves OR'd with (orLo, orHi).
   *  Where xlate's fast path would take them (TLB on, the last page written, the same MMU
   *  generation: nothing runs in between) and no store hook must see each, they go straight to
   *  the frame, each charged `cost`; else each is one(va, lo, hi), a store through the MMU (a
   *  walk each with the TLB off, onStore called) charged by the caller. */
  storeRun(va: number, n: number, x: number, step: number, orLo: number, orHi: number, cost: number,
    one: (va: number, lo: number, hi: number) => void) {
    // The value in 32-bit halves, advanced by step (below 2^32) with the carry past 4 GiB.
    let xl = x % 4294967296, xh = Math.floor(x / 4294967296);
    if (!this.knobs.tlb || this.onStore !== null || Math.floor(va / 4096) !== this.wVpn || this.mmu.gen !== this.wGen) {
      for (let i = 0; i < n; i++, xl += step) {
        if (xl >= 4294967296) { xl -= 4294967296; xh++; }
        one(va + i * 8, (xl | orLo) >>> 0, (xh | orHi) >>> 0);
      }
      return;
    }
    const pa = this.wBase + (va & 4095), at = pa & 4095;
    if (at + 8 * n > 4096 || at & 7) throw new RangeError(`storeRun: ${n} quadwords at ${at} are not aligned quadwords of one page`);
    const f = this.mem.wframe(Math.floor(pa / 4096));
    if (f.code) { f.code = null; this.mem.codeGen++; }
    // As 32-bit words, low half first: the host's typed arrays are little-endian, as the guest's
    // memory is (the engine reads frames so elsewhere too: player/heapmap.ts). About twice as fast
    // as a DataView before the JIT has compiled the loop (libdune's set-up runs it 3 M times).
    const w = new Uint32Array(f.u8.buffer, f.u8.byteOffset + at, 2 * n);
    for (let i = 0; i < 2 * n; i += 2, xl += step) {
      if (xl >= 4294967296) { xl -= 4294967296; xh++; }
      w[i] = (xl | orLo) >>> 0;
      w[i + 1] = (xh | orHi) >>> 0;
    }
    this.cycles += cost * n;
  }

  /** 64-bit helpers for TypeScript-side software (kernel, libdune): values as bigint. */
  read64(va: number, sup = true): bigint { this.load(va, 8, sup); return (BigInt(this.vhi) << 32n) | BigInt(this.vlo); }
  write64(va: number, v: bigint, sup = true) {
    v = BigInt.asUintN(64, v);
    this.store(va, 8, Number(v & 0xffffffffn), Number(v >> 32n), sup);
  }
  readBytes(va: number, n: number, sup = true): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) { this.load(va + i, 1, sup); out[i] = this.vlo; }
    return out;
  }
  writeBytes(va: number, bytes: ArrayLike<number>, sup = true) {
    for (let i = 0; i < bytes.length; i++) this.store(va + i, 1, bytes[i], 0, sup);
  }
  readCString(va: number, max = 4096, sup = true): string {
    let s = '';
    for (let i = 0; i < max; i++) { this.load(va + i, 1, sup); if (this.vlo === 0) break; s += String.fromCharCode(this.vlo); }
    return s;
  }

  /** Fetch the decoded instruction at RIP through translation (TLB, walk, NX, EPT X). */
  fetch(): Op {
    const rip = this.cpu.rip;
    const off = rip - this.fPage;
    if (off >= 0 && off < 4096 && this.fGen === this.mmu.gen && this.fCodeGen === this.mem.codeGen) {
      const op = this.fCode![off];
      if (op !== undefined) return op;
    }
    return fetchPage(this);
  }
  /** The fetch memo of each CPL (cpu/fetchmemo.ts). */
  readonly fetchMemos = new FetchMemos();

  /** Effective address of a memory operand → 48-bit linear, or #GP(0) if not canonical. */
  ea(lo: number, hi: number): number {
    const va = linear(lo, hi);
    if (va < 0) throw new CpuFault(VEC.GP, 0, 0, 'non-canonical address');
    return va;
  }

  // ---- running -----------------------------------------------------------------------------

  /** The one step of the machine, which every loop composes (run, runUntilSeq, runUntilBack,
   *  the player's replays): up to n instructions (single: exactly one op, an instruction or a
   *  native routine), or, with the CPU halted, the wait for the next interrupt. Whatever the op
   *  threw is handled here and only here (fault): an exception delivered, a VM exit taken, the
   *  machine stopped, or the OOM killer run. */
  step(n: number, single = false) {
    try {
      if (this.cpu.halted) this.idle();
      else runBatch(this, n, single);
    } catch (e) {
      this.fault(e);
    }
  }

  /** Run until the process exits, the machine stops, or `budget` more instructions retire. */
  run(budget: number): ExitStatus | null {
    const stop = this.instret + budget;
    while (this.status === null && this.instret < stop) this.step(stop - this.instret);
    return this.status;
  }

  /** Run op by op until the machine has emitted event `seq` (or stopped): a replay lands on
   *  the op that emitted it. */
  runUntilSeq(seq: number) {
    while (this.seq <= seq && this.status === null) this.step(Infinity, true);
  }

  /** Handle what an instruction threw: deliver an exception, take a VM exit, or stop. */
  fault(e: unknown) {
    if (e instanceof CpuFault) {
      this.faults++;
      deliver(this, e.vector, e.error, e.cr2, 'fault', e.why);
    } else if (e instanceof VmExit) {
      this.vmx.exit(e);
    } else if (e instanceof Halt) {
      if (this.status === null && e.why === 'idle') this.exit(0, 'exit');
    } else if (e instanceof OutOfMemory && this.host) {
      this.host.outOfMemory(e);
    } else throw e;
  }

  /** Used by native routines whose memory access faulted: after the fault was delivered (or the
   *  VM exit taken), run the machine until execution is back at the native's RIP in the same mode
   *  (the handler's IRETQ or VMRESUME restarts the "instruction"), then let the native retry. */
  runUntilBack(rip: number, nonRoot: boolean, cpl: number) {
    const limit = Math.min(this.instrLimit, this.instret + 50_000_000);
    for (;;) {
      if (this.status) throw new Halt('exit');
      if (this.instret >= limit) {
        if (this.host) tell(this.host, rep('native-budget', { instret: this.instret, rip: `0x${rip.toString(16)}` }));
        this.exit(124, 'budget');
        throw new Halt('exit');
      }
      const c = this.cpu;
      if (c.rip === rip && this.vmx.nonRoot === nonRoot && c.cpl === cpl && !c.halted) return;
      this.step(Infinity, true);
    }
  }

  /** The host timer fires: the interrupt is pending until the CPU can take it. */
  tick() {
    this.pendingIntr = this.timerVector;
    this.timerAt += this.timerPeriod;
  }

  /** The CPU is halted: advance to the next interrupt; with none coming, the machine is idle. */
  private idle() {
    if (this.pendingIntr >= 0) { this.cpu.halted = false; return; }
    if (this.timerAt < Infinity && this.vmx.nonRoot) { this.cycles = Math.max(this.cycles, this.timerAt); this.tick(); this.cpu.halted = false; return; }
    throw new Halt('idle');
  }

  /** Deliver an event injected at VM entry through the guest IDT (no exception-bitmap check). */
  injectEvent(vec: number, type: number, err: number | null, instrLen = 0) {
    const kind = type === 0 || type === 2 ? 'intr' : type >= 4 ? 'soft' : 'fault';
    // A software interrupt or exception pushes the address after its instruction (entry instruction length).
    deliver(this, vec, err, vec === VEC.PF ? this.cpu.cr2 : 0, kind, 'injected at VM entry', this.cpu.rip + (kind === 'soft' ? instrLen : 0), true);
  }

  exit(code: number, how: ExitStatus['how']) {
    if (this.status) return;
    this.status = { code, how };
    this.emit({ type: 'exit', code, how });
  }

  summary() {
    return { type: 'summary' as const, instructions: this.instret, cycles: this.cycles, vmexits: { ...this.vmexits },
      walks: this.mmu.stats.walks, walkRefs: this.mmu.stats.walkRefs, tlbMisses: this.mmu.stats.tlbMisses, faults: this.faults };
  }

  // ---- snapshots ---------------------------------------------------------------------------

  snapshot(): MachineSnapshot {
    return {
      cpu: this.cpu.clone(), mem: this.mem.snapshot(), mmu: this.mmu.clone(this.mem, this), vmx: this.vmx.save(),
      cycles: this.cycles, instret: this.instret, faults: this.faults, vmexits: { ...this.vmexits }, seq: this.seq,
      status: this.status, out: this.out.slice(), pendingIntr: this.pendingIntr, delivering: this.delivering, timerAt: this.timerAt,
      host: this.host?.save(),
      fast: [this.fPage, this.fCode, this.fGen, this.fCodeGen, this.rVpn, this.rBase, this.rGen, this.wVpn, this.wBase, this.wGen,
        this.srVpn, this.srBase, this.srGen, this.swVpn, this.swBase, this.swGen],
    };
  }
  restore(s: MachineSnapshot) {
    this.cpu = s.cpu.clone();
    this.mem.restore(s.mem);
    this.mmu = s.mmu.clone(this.mem, this);
    this.vmx.restore(s.vmx);
    this.cycles = s.cycles; this.instret = s.instret; this.faults = s.faults; this.vmexits = { ...s.vmexits };
    this.seq = s.seq; this.status = s.status; this.out = s.out.slice(); this.pendingIntr = s.pendingIntr;
    this.delivering = s.delivering;
    this.timerAt = s.timerAt;
    if (this.host) this.host.restore(s.host);
    // The fast-path caches come back too, so a replay from here is exact (same TLB LRU updates).
    [this.fPage, this.fCode, this.fGen, this.fCodeGen, this.rVpn, this.rBase, this.rGen, this.wVpn, this.wBase, this.wGen,
      this.srVpn, this.srBase, this.srGen, this.swVpn, this.swBase, this.swGen] =
      s.fast as [number, (Op | undefined)[] | null, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
    this.refresh(false);
  }
}

export interface MachineSnapshot {
  cpu: CpuState; mem: MemSnapshot; mmu: Mmu; vmx: unknown; cycles: number; instret: number; faults: number;
  vmexits: Record<string, number>; seq: number; status: ExitStatus | null; out: { fd: number; text: string }[];
  pendingIntr: number; delivering: number; timerAt: number; host: unknown; fast: unknown[];
}
