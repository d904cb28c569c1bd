// SDM oracle for IDT delivery in IA-32e mode and IRETQ, in a hand-built guest at CPL 0 that
// owns its IDT, GDT and TSS: the 64-bit stack frame, 16-byte alignment, IF for interrupt vs trap
// gates, the CPL 3 → 0 stack switch through TSS.RSP0, gate DPL checks, #DF and triple fault.

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType, type Guest, type GuestOpts } from '../harness.ts';
import { gate, idt, gread, gsym, vmcs, GDT_TSS } from './util.ts';
import { RAX } from '../../../src/engine/asm/ir.ts';

const STACK_TOP = 0x7ffffffff000;
const IF = 0x200;

/** A guest whose VMCALLs (other than exit) record GUEST_RFLAGS, so code can report IF. */
function guest(src: string, o: GuestOpts = {}) {
  const flags: bigint[] = [];
  const g = makeGuest(src, {
    ...o,
    onExit: (gg, e) => {
      if (e.reason !== 18) return 'stop';
      if (gg.m.cpu.lo[RAX] === 60) return 'stop';
      flags.push(vmcs(gg, 'GUEST_RFLAGS'));
      return 'resume';
    },
  });
  return { g, flags };
}
/** Switch a cpl-3 guest (user-accessible pages) to CPL 0 before it runs, so it can set itself up. */
function toRing0(g: Guest) { g.m.cpu.cs = 0x10; g.m.cpu.ss = 0x18; g.m.refresh(); }

const RECORD = (p: string) => [0, 1, 2, 3, 4].map((i) => `  mov rax, [rsp + ${i * 8}]\n  mov [${p}${i}], rax\n`).join('');
const SLOTS = (p: string, n = 6) => Array.from({ length: n }, (_, i) => `${p}${i}: .quad 0\n`).join('');

describe('interrupt and trap gates at CPL 0', () => {
  const src = `_start:
  lidt [idtr]
  sti
  mov [rsp_a], rsp
  int 0x80
after80:
  vmcall
  sub rsp, 8
  mov [rsp_b], rsp
  int 0x81
after81:
  xor ebx, ebx
dei:
  div rbx
after_de:
  mov rbx, 0x8000000000000000
gpi:
  mov rax, [rbx]
after_gp:
  mov rbx, 0x10000000
pfi:
  mov qword ptr [rbx], 1
after_pf:
  mov rax, 60
  mov rdi, 5
  vmcall
h80:
  mov [hrsp_a], rsp
${RECORD('a')}
  vmcall
  iretq
h81:
  mov [hrsp_b], rsp
${RECORD('b')}
  vmcall
  iretq
h0:
${RECORD('de')}
  lea rax, [rip + after_de]
  mov [rsp], rax
  iretq
h13:
${RECORD('gp')}
  add rsp, 8
  lea rax, [rip + after_gp]
  mov [rsp], rax
  iretq
h14:
${RECORD('pf')}
  mov rax, cr2
  mov [pf_cr2], rax
  add rsp, 8
  lea rax, [rip + after_pf]
  mov [rsp], rax
  iretq
${idt({ 0: gate('h0'), 13: gate('h13'), 14: gate('h14'), 0x80: gate('h80', { type: 0xe }), 0x81: gate('h81', { type: 0xf }) })}
rsp_a: .quad 0
rsp_b: .quad 0
hrsp_a: .quad 0
hrsp_b: .quad 0
pf_cr2: .quad 0
${SLOTS('a')}${SLOTS('b')}${SLOTS('de')}${SLOTS('gp')}${SLOTS('pf')}
`;
  const { g, flags } = guest(src);
  g.run();
  const q = (n: string) => gread(g, gsym(g, n));
  const at = (n: string) => BigInt(gsym(g, n));

  it('runs every handler and returns with IRETQ', () => {
    expect(g.m.status).toEqual({ code: 5, how: 'exit' });
    expect(ofType(g.events, 'exception').map((e) => [e.vector, e.errorCode, e.to])).toEqual([
      [0x80, null, 'guest-idt'], [0x81, null, 'guest-idt'], [0, null, 'guest-idt'], [13, 0, 'guest-idt'], [14, 2, 'guest-idt']]);
  });
  it('INT n pushes SS, RSP, RFLAGS, CS, RIP (the next instruction) on an aligned stack', () => {
    const rsp = Number(q('rsp_a'));
    expect(rsp).toBe(STACK_TOP);
    expect([q('a0'), q('a1'), q('a2') & BigInt(IF), q('a3'), q('a4')]).toEqual([at('after80'), 0x10n, BigInt(IF), BigInt(rsp), 0x18n]);
    expect(Number(q('hrsp_a'))).toBe(rsp - 40);
  });
  it('the frame is pushed at RSP rounded down to 16 bytes; the saved RSP is the unaligned one', () => {
    const rsp = Number(q('rsp_b'));
    expect(rsp % 16).toBe(8);
    expect(Number(q('hrsp_b'))).toBe(rsp - 8 - 40);
    expect(q('b3')).toBe(BigInt(rsp));
    expect(q('b0')).toBe(at('after81'));
  });
  it('an interrupt gate clears IF, a trap gate does not; IRETQ restores it', () => {
    // VMCALLs: in h80 (interrupt gate), after80 (back from IRETQ), in h81 (trap gate).
    expect(flags.map((f) => Number(f & BigInt(IF)))).toEqual([0, IF, IF]);
  });
  it('#DE is a fault: the saved RIP is the div; no error code', () => {
    expect(q('de0')).toBe(at('dei'));
    expect(q('de1')).toBe(0x10n);
  });
  it('#GP pushes error code 0 below the RIP of the faulting instruction', () => {
    expect([q('gp0'), q('gp1'), q('gp2')]).toEqual([0n, at('gpi'), 0x10n]);
  });
  it('#PF pushes the error code (W, not present) and sets CR2', () => {
    expect([q('pf0'), q('pf1')]).toEqual([2n, at('pfi')]);
    expect(q('pf_cr2')).toBe(0x10000000n);
  });
});

describe('CPL 3 → 0 through a gate (TSS.RSP0) and gate DPL checks', () => {
  const USER_RSP = STACK_TOP - 0x808;
  const src = `_start:
  lgdt [gdtr]
  mov rax, 0x40
  ltr rax
  lidt [idtr]
  mov rax, 0x2b
  push rax
  mov rax, ${USER_RSP}
  push rax
  mov rax, 0x202
  push rax
  mov rax, 0x33
  push rax
  lea rax, [rip + user]
  push rax
  iretq
user:
  int 0x80
u2:
  int 0x81
u3:
  mov rax, 60
  mov rdi, 3
  vmcall
h80:
  mov [hrsp], rsp
${RECORD('a')}
  iretq
h13:
${RECORD('gp')}
  add rsp, 8
  lea rax, [rip + u3]
  mov [rsp], rax
  iretq
${idt({ 13: gate('h13'), 0x80: gate('h80', { dpl: 3 }), 0x81: gate('h80', { dpl: 0 }) })}
hrsp: .quad 0
${SLOTS('a')}${SLOTS('gp')}
${GDT_TSS}`;
  const g = makeGuest(src, { cpl: 3 });
  toRing0(g);
  g.run();
  const q = (n: string) => gread(g, gsym(g, n));
  const at = (n: string) => BigInt(gsym(g, n));

  it('ends at CPL 3 with the exit VMCALL (VMCALL exits from CPL 3 too)', () => {
    expect(g.m.status).toEqual({ code: 3, how: 'exit' });
    const vmcall = g.prog.instrs.find((i) => i.text === 'vmcall' && i.addr > gsym(g, 'u3'))!;
    expect(g.exits.at(-1)).toMatchObject({ reason: 18, len: 3, rip: vmcall.addr });
    expect(vmcs(g, 'GUEST_CS_SELECTOR')).toBe(0x33n);
  });
  it('LTR marks the TSS descriptor busy (type 0xB)', () => {
    expect((gread(g, gsym(g, 'gdt') + 0x40 + 5, 1)) & 0xfn).toBe(0xbn);
  });
  it('the handler runs on TSS.RSP0; the frame holds the user SS:RSP, RFLAGS, CS and RIP', () => {
    expect(q('hrsp')).toBe(at('kstack_top') - 40n);
    expect([q('a0'), q('a1'), q('a2'), q('a3'), q('a4')]).toEqual([at('u2'), 0x33n, 0x202n, BigInt(USER_RSP), 0x2bn]);
  });
  it('INT n from CPL 3 to a DPL 0 gate is #GP(n*8+2) with the INT as the saved RIP', () => {
    expect([q('gp0'), q('gp1'), q('gp2'), q('gp4')]).toEqual([0x81n * 8n + 2n, at('u2'), 0x33n, BigInt(USER_RSP)]);
  });
  it('ring events: IRETQ to 3, interrupt to 0, back, exception to 0, back', () => {
    expect(ofType(g.events, 'ring').map((e) => `${e.from}->${e.to} ${e.via}`)).toEqual([
      '0->3 iret', '3->0 interrupt', '0->3 iret', '3->0 exception', '0->3 iret']);
  });
});

describe('double fault and triple fault', () => {
  const HDF = `h8:\n  mov rax, [rsp]\n  mov [df_err], rax\n  mov rax, [rsp + 8]\n  mov [df_rip], rax\n  mov rax, 60\n  mov rdi, 8\n  vmcall\n`;
  const HNP = `h11:\n  mov rax, 60\n  mov rdi, [rsp]\n  vmcall\n`;
  const DATA = 'df_err: .quad -1\ndf_rip: .quad 0\n';
  it('#NP while delivering #DE (contributory + contributory) → #DF with error code 0', () => {
    const g = makeGuest(`_start:\n  lidt [idtr]\n  xor ebx, ebx\ndiv0:\n  div rbx\n${HDF}${idt({ 0: gate('h8', { present: false }), 8: gate('h8') }, 16)}${DATA}`);
    g.run();
    expect(g.m.status).toEqual({ code: 8, how: 'exit' });
    expect(gread(g, gsym(g, 'df_err'))).toBe(0n);
    expect(gread(g, gsym(g, 'df_rip'))).toBe(BigInt(gsym(g, 'div0')));
    expect(ofType(g.events, 'exception').map((e) => e.vector)).toEqual([0, 8]);
  });
  it('#GP while delivering #PF (page fault + contributory) → #DF', () => {
    const g = makeGuest(`_start:\n  lidt [idtr]\n  mov rbx, 0x10000000\n  mov rax, [rbx]\n${HDF}${idt({ 14: gate('h8', { type: 5 }), 8: gate('h8') }, 16)}${DATA}`);
    g.run();
    expect(g.m.status).toEqual({ code: 8, how: 'exit' });
    expect(ofType(g.events, 'exception').map((e) => e.vector)).toEqual([14, 8]);
  });
  it('#NP while delivering INT n (benign) is handled serially: #NP(n*8+2), no #DF', () => {
    const g = makeGuest(`_start:\n  lidt [idtr]\n  int 0x21\n${HNP}${HDF}${idt({ 8: gate('h8'), 11: gate('h11'), 0x21: gate('h8', { present: false }) }, 0x30)}${DATA}`);
    g.run();
    expect(g.m.status).toEqual({ code: 0x21 * 8 + 2, how: 'exit' });
    expect(ofType(g.events, 'exception').map((e) => [e.vector, e.errorCode])).toEqual([[0x21, null], [11, 0x21 * 8 + 2]]);
  });
  it('#GP while delivering #UD (benign) is handled serially', () => {
    const g = makeGuest(`_start:\n  lidt [idtr]\n  ud2\n${HDF}h13:\n  mov rax, 60\n  mov rdi, 13\n  vmcall\n${idt({ 8: gate('h8'), 13: gate('h13'), 6: gate('h13', { type: 0 }) }, 16)}${DATA}`);
    g.run();
    expect(g.m.status).toEqual({ code: 13, how: 'exit' });
  });
  it('a fault while delivering #DF is a triple fault: VM exit 2 in a guest', () => {
    const g = makeGuest(`_start:\n  lidt [idtr]\n  xor ebx, ebx\n  div rbx\n  hlt\n${idt({ 0: '  .quad 0, 0\n' }, 16)}`);
    g.run();
    expect(g.exits.map((e) => e.reason)).toEqual([2]);
    expect(g.m.status).toEqual({ code: 202, how: 'exit' });
    expect(ofType(g.events, 'exception').map((e) => e.vector)).toEqual([0, 8]);
  });
  it('a guest with no IDT (limit 0) triple-faults on its first exception', () => {
    const g = makeGuest(`_start:\n  ud2\n`);
    g.run();
    expect(g.exits.map((e) => e.name)).toEqual(['TRIPLE_FAULT']);
    // #UD (benign) → #GP beyond the limit, handled serially → #GP while delivering #GP → #DF → shutdown.
    expect(ofType(g.events, 'exception').map((e) => e.vector)).toEqual([6, 13, 8]);
  });
  it('pushing the frame onto an unmapped stack: #PF, then #PF again → #DF → triple fault', () => {
    const g = makeGuest(`_start:\n  lidt [idtr]\n  mov rsp, 0x20000000\n  int3\n${HDF}${idt({ 3: gate('h8'), 8: gate('h8'), 14: gate('h8') }, 16)}${DATA}`);
    g.run();
    expect(g.exits.map((e) => e.reason)).toEqual([2]);
    expect(ofType(g.events, 'exception').map((e) => e.vector)).toEqual([3, 14, 8]);
  });
});
