// Exception and interrupt delivery in IA-32e mode through the IDT of the current mode (guest IDT
// in VMX non-root unless the exception bitmap sends it to the VMM), with #DF and triple fault.
// SDM Vol. 3A "Interrupt and Exception Handling" (64-bit mode), Vol. 3C "VM Exits" (exception
// bitmap). World: hardware.

import { VEC, VEC_NAME, VEC_HAS_ERROR, RFLAGS } from '../arch/x86.ts';
import { EXIT_REASON, INTR_INFO } from '../arch/vmx.ts';
import { CpuFault, VmExit } from './fault.ts';
import { canonHi, linear } from './state.ts';
import { RSP } from '../asm/ir.ts';
import { hexVa } from '../trace/events.ts';
import type { Machine } from '../machine.ts';
import { rep, tell } from '../report.ts';
import { kernelNote } from '../trace/notes.ts';

export type DeliveryKind = 'fault' | 'trap' | 'soft' | 'intr';

/** Deliver vector: kind 'fault' pushes the faulting RIP, 'trap'/'soft'/'intr' push `ret` (the next
 *  instruction). 'soft' is INT n / INT3: the gate's DPL is checked against CPL. */
export function deliver(m: Machine, vector: number, error: number | null, cr2: number, kind: DeliveryKind,
  why = '', ret = m.cpu.rip, injected = false) {
  const c = m.cpu;
  const name = VEC_NAME[vector] ?? `vector ${vector}`;
  if (kind !== 'intr' && error === null && VEC_HAS_ERROR.has(vector) && kind === 'fault') error = 0;
  const isPf = vector === VEC.PF;

  // VMX non-root: the exception bitmap (and, for #PF, the PFEC mask/match rule) chooses a VM exit.
  if (m.vmx.nonRoot && !injected && kind !== 'intr' && !(kind === 'soft' && vector !== VEC.BP)) {
    if (m.vmx.exceptionExits(vector, error ?? 0)) {
      m.emit({ type: 'exception', vector, name, errorCode: error, ...(isPf ? { cr2: hexVa(cr2) } : {}), to: 'vmexit', rip: hexVa(c.rip) });
      const type = kind === 'soft' ? INTR_INFO.TYPE_SW_EXC : INTR_INFO.TYPE_HW_EXC;
      const info = (vector | (type << 8) | (error !== null ? INTR_INFO.ERR_VALID : 0) | INTR_INFO.VALID) >>> 0;
      m.vmx.exit(new VmExit(EXIT_REASON.EXCEPTION_NMI, isPf ? cr2 : 0, null, null, kind === 'soft' ? 1 : 0, info, error ?? 0));
      return;
    }
  }
  if (kind !== 'intr') m.emit({ type: 'exception', vector, name, errorCode: error, ...(isPf ? { cr2: hexVa(cr2) } : {}),
    to: m.vmx.nonRoot ? 'guest-idt' : 'host-kernel', rip: hexVa(c.rip), ...(why ? { why } : {}) });
  if (isPf) c.cr2 = cr2;

  m.delivering++;
  try {
    through(m, vector, error, kind, ret);
  } catch (e) {
    m.delivering--;
    if (e instanceof VmExit && m.vmx.nonRoot) {
      // A VM exit during event delivery (e.g. an EPT violation writing the frame): the SDM
      // records the event in the IDT-vectoring information so the VMM can re-inject it.
      const type = kind === 'intr' ? INTR_INFO.TYPE_EXT_INTR : kind === 'soft' ? (vector === VEC.BP ? INTR_INFO.TYPE_SW_EXC : INTR_INFO.TYPE_SW_INTR) : INTR_INFO.TYPE_HW_EXC;
      const errValid = error !== null && kind === 'fault';
      e.idtInfo = (vector | (type << 8) | (errValid ? INTR_INFO.ERR_VALID : 0) | INTR_INFO.VALID) >>> 0;
      e.idtError = errValid ? error! : 0;
      if (kind === 'soft') e.idtInstrLen = ret - m.cpu.rip;
      m.vmx.exit(e);
      return;
    }
    if (!(e instanceof CpuFault)) throw e;
    // A fault while delivering #DF shuts the processor down (triple fault).
    if (vector === VEC.DF) {
      m.delivering = 0;
      tripleFault(m, VEC_NAME[e.vector]);
      return;
    }
    // SDM "Conditions for Generating a Double Fault": only contributory-then-contributory and
    // #PF-then-(#PF or contributory) make a #DF; every other pair is handled serially, i.e. the
    // second exception is delivered and the first is lost (the instruction restarts).
    const first = faultClass(vector, kind), second = faultClass(e.vector, 'fault');
    if (first === 'benign' || second === 'benign' || (first === 'contributory' && second === 'pf')) {
      m.emit(kernelNote('cpu', 'nestedSerial', { vector: VEC_NAME[e.vector], during: name, why: e.why }));
      deliver(m, e.vector, e.error, e.cr2, 'fault', e.why);
      return;
    }
    m.emit(kernelNote('cpu', 'nestedDouble', { vector: VEC_NAME[e.vector], during: name, why: e.why }));
    deliver(m, VEC.DF, 0, 0, 'fault');
    return;
  }
  m.delivering--;
}

/** Exception classes for the double-fault rule: #DE #TS #NP #SS #GP are contributory, #PF is its
 *  own class; the rest, INT n and external interrupts are benign. */
const CONTRIBUTORY = new Set<number>([VEC.DE, VEC.TS, VEC.NP, VEC.SS, VEC.GP]);
function faultClass(vector: number, kind: DeliveryKind): 'benign' | 'contributory' | 'pf' {
  if (kind === 'soft' || kind === 'intr') return 'benign';
  return vector === VEC.PF ? 'pf' : CONTRIBUTORY.has(vector) ? 'contributory' : 'benign';
}

/** vec: the fault raised while delivering #DF. */
function tripleFault(m: Machine, vec: string) {
  const why = `fault (${vec}) while delivering #DF`;
  if (m.vmx.nonRoot) {
    m.vmx.exit(new VmExit(EXIT_REASON.TRIPLE_FAULT));
  } else {
    m.emit(kernelNote('cpu', 'tripleFault', { why }));
    if (m.host) tell(m.host, rep('triple-fault', { vec }));
    m.exit(128 + 9, 'signal');
  }
}

/** The IDT walk and the stack frame (SDM "64-Bit Mode Stack Frame"). */
function through(m: Machine, vector: number, error: number | null, kind: DeliveryKind, ret: number) {
  const c = m.cpu;
  const ext = kind === 'soft' ? 0 : 1;
  if (vector * 16 + 15 > c.idtrLimit) throw new CpuFault(VEC.GP, vector * 8 + 2 + ext, 0, 'vector beyond the IDT limit');
  const gate = c.idtrBase + vector * 16;
  m.load(gate, 8, true); const g0 = m.vlo, g1 = m.vhi;
  m.load(gate + 8, 8, true); const g2 = m.vlo;
  const type = (g1 >>> 8) & 0xf, dpl = (g1 >>> 13) & 3, present = (g1 >>> 15) & 1;
  if (type !== 0xe && type !== 0xf) throw new CpuFault(VEC.GP, vector * 8 + 2 + ext, 0, 'not an interrupt or trap gate');
  if (kind === 'soft' && c.cpl > dpl) throw new CpuFault(VEC.GP, vector * 8 + 2, 0, `INT ${vector} from CPL ${c.cpl} to a DPL ${dpl} gate`);
  if (!present) throw new CpuFault(VEC.NP, vector * 8 + 2 + ext, 0, 'gate not present');
  const sel = g0 >>> 16;
  const target = linear(((g1 & 0xffff0000) | (g0 & 0xffff)) >>> 0, g2 >>> 0);
  if (target < 0) throw new CpuFault(VEC.GP, 0, 0, 'gate offset not canonical');
  const ist = g1 & 7;
  const from = c.cpl, to = (sel & 3) as 0 | 3;
  if (to > from) throw new CpuFault(VEC.GP, sel & ~3, 0, 'gate to a less privileged segment');

  const oldSs = c.ss, oldRsp = c.va(RSP), oldFlags = c.rflags(), oldCs = c.cs;
  let rsp = oldRsp;
  if (ist) { m.load(c.trBase + 0x24 + (ist - 1) * 8, 8, true); rsp = m.ea(m.vlo, m.vhi); }
  else if (to < from) { m.load(c.trBase + 4, 8, true); rsp = m.ea(m.vlo, m.vhi); }
  rsp -= rsp % 16; // 64-bit mode aligns the new stack on 16 bytes
  // Pushed in order: SS, RSP, RFLAGS, CS, RIP, error code (RSP and RIP in canonical form). The old
  // SS is pushed; on a privilege change the new SS is the NULL selector.
  const rspHi = c.hi[RSP];
  const frame: [number, number][] = [[oldSs, 0], [oldRsp >>> 0, rspHi], [oldFlags, 0], [oldCs, 0], [ret >>> 0, canonHi(ret)]];
  if (error !== null && kind !== 'soft' && kind !== 'intr') frame.push([error >>> 0, 0]);
  // Push with the privileges of the handler (supervisor): a fault here is a double fault.
  let sp = rsp;
  for (const [lo, hi] of frame) { sp -= 8; m.store(sp, 8, lo, hi, true); }
  c.setVa(RSP, sp);
  c.cs = sel; c.ss = to < from ? 0 : oldSs;
  c.rf &= ~(RFLAGS.TF);
  if (type === 0xe) c.rf &= ~RFLAGS.IF;
  c.rip = target;
  c.halted = false;
  m.cycles += m.costs.exception;
  if (to !== from) { m.refresh(); m.emit({ type: 'ring', from, to, via: kind === 'intr' || kind === 'soft' && vector !== VEC.BP ? 'interrupt' : 'exception' }); }
}
