// A process's user context (Linux's pt_regs): captured from the CPU when the kernel must keep it
// (a switch, a signal, a ptrace stop) and put back on the way out, by SYSRET when the registers
// allow it and by IRETQ otherwise. SDM Vol. 2 "SYSRET", "IRET". World: VMX root kernel.

import { RCX, R11, RSP } from '../asm/ir.ts';
import { RFLAGS, SEL } from '../arch/x86.ts';
import { canonHi } from '../cpu/state.ts';
import { iret, sysret } from '../cpu/system.ts';
import type { Machine } from '../machine.ts';
import type { UserCtx } from './process.ts';

const canon = (va: number) => (BigInt(canonHi(va)) << 32n) | BigInt(va >>> 0);

/** At SYSCALL entry the user registers are still live, RCX holds the return RIP and R11 RFLAGS
 *  (SYSCALL does not switch stacks in this model: RSP is the user's). */
export function captureSyscall(m: Machine): UserCtx {
  const c = m.cpu;
  const regs = Array.from({ length: 16 }, (_, i) => c.get(i));
  return { regs, rip: c.va(RCX), rflags: c.lo[R11] | RFLAGS.FIXED, cs: SEL.USER_CS, ss: SEL.USER_DS, origRax: regs[0],
    via: 'syscall', trapno: 0, err: 0, cr2: 0 };
}

/** At exception entry RIP, CS, RFLAGS, RSP and SS are in the hardware frame on the kernel stack
 *  (SDM "64-Bit Mode Stack Frame"); the other registers are live. */
export function captureException(m: Machine, frame: number, vector: number, err: number): UserCtx {
  const c = m.cpu;
  const regs = Array.from({ length: 16 }, (_, i) => c.get(i));
  regs[RSP] = m.read64(frame + 24);
  return { regs, rip: Number(BigInt.asUintN(48, m.read64(frame))), rflags: Number(m.read64(frame + 16) & 0xffffffffn),
    cs: Number(m.read64(frame + 8) & 0xffffn), ss: Number(m.read64(frame + 32) & 0xffffn), origRax: -1n,
    via: 'exception', trapno: vector, err, cr2: vector === 14 ? c.cr2 : 0 };
}

/** Return to ring 3 with ctx. Like Linux's syscall exit, SYSRET only when it restores everything
 *  (RCX = RIP, R11 = RFLAGS); otherwise build an IRET frame at the top of the kernel stack. */
export function restoreUser(m: Machine, ctx: UserCtx, kstackTop: number) {
  const c = m.cpu;
  for (let i = 0; i < 16; i++) c.set(i, ctx.regs[i]);
  if (ctx.via === 'syscall' && ctx.regs[RCX] === canon(ctx.rip) && ctx.regs[R11] === BigInt(ctx.rflags) &&
      ctx.cs === SEL.USER_CS) {
    sysret(m);
    return;
  }
  const sp = kstackTop - 40;
  m.write64(sp, canon(ctx.rip));
  m.write64(sp + 8, BigInt(ctx.cs));
  m.write64(sp + 16, BigInt(ctx.rflags));
  m.write64(sp + 24, ctx.regs[RSP]);
  m.write64(sp + 32, BigInt(ctx.ss));
  c.setVa(RSP, sp);
  iret(m);
}
