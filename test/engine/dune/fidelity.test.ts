// Where the model follows the Dune code itself (issue 13): the register dump of an unhandled exit
// shows the guest's state from the VMCS (vmx_dump_cpu), ept_set_epte premarks EPT A/D, and an
// event interrupted by an EPT fill is re-injected with a detail that says so.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runLinux, ofType } from '../harness.ts';
import { eptEntryAddr, eptLookup } from '../../../src/engine/ept/ept.ts';
import { hvaToGpa } from '../../../src/engine/kernel/dune/layout.ts';
import { EPTE } from '../../../src/engine/arch/x86.ts';
import { lookup, entryFrame } from '../../../src/engine/kernel/pgtable.ts';
import type { Vcpu } from '../../../src/engine/kernel/dune/vmcs.ts';

const ENTER = `    call dune_init_and_enter\n    test rax, rax\n    jne enter_failed\n`;
const FAILED = `enter_failed:\n    mov rdi, 99\n    call exit\n`;
const dune = (body: string, data = '', knobs = {}) =>
  runLinux(`${data}\n.text\n_start:\n${ENTER}${body}\n${FAILED}`, { budget: 50_000_000, knobs });
const vcpu = (r: ReturnType<typeof dune>) => (r.k.procs[0] as { vcpu?: Vcpu }).vcpu!;

/** The dump's rows as a map from register name to value (the last dump in the report). */
function dumped(report: string[]) {
  const at = report.findIndex((l) => l.startsWith('guest state at the VM exit'));
  expect(at).toBeGreaterThan(0);
  const regs = new Map<string, bigint>();
  for (const l of report.slice(at + 1, at + 6)) for (const [, n, v] of l.matchAll(/([A-Z0-9]+):\s+([0-9a-f]{16})/g)) regs.set(n, BigInt('0x' + v));
  return regs;
}

describe('the register dump of an exit the module does not handle (vmx_dump_cpu)', () => {
  // RSP is set to a value of our choosing just before the exit; the host's stack is ffffffff821....
  const body = (exiting: string) => `    mov rax, cr4
    xor rax, 0x80
    mov r15, rsp
    mov rsp, 0x7ffffffe1238
    mov rbx, 0x1badb002
    cmp rbx, rbx
here:
    ${exiting}
    mov rsp, r15
    mov rdi, 0
    call exit`;

  it("CR_ACCESS: RIP, RSP and RFLAGS are the guest's (GUEST_RIP, GUEST_RSP, GUEST_RFLAGS)", () => {
    const r = dune(body('mov cr4, rax'));
    expect(r.status?.how).toBe('unhandled-vmexit');
    const regs = dumped(r.k.report);
    expect(regs.get('RIP')).toBe(r.s.program.symbols.get('here'));
    expect(regs.get('RSP')).toBe(0x7ffffffe1238n);
    expect(regs.get('RBX')).toBe(0x1badb002n);
    expect(regs.get('RFLAGS')! & 0x43n).toBe(0x42n); // ZF from the CMP, CF clear, bit 1 always 1
  });

  it("#BP in the exception bitmap: the dump is the guest's state at the INT3", () => {
    const r = dune(body('int3'));
    expect(r.k.report[0]).toMatch(/DUNE_RET_INTERRUPT.*vector 3/);
    const regs = dumped(r.k.report);
    expect(regs.get('RIP')).toBe(r.s.program.symbols.get('here'));
    expect(regs.get('RSP')).toBe(0x7ffffffe1238n);
  });
});

describe('ept_set_epte premarks A (and D on a write fault) when EPT A/D is on', () => {
  const prog = (knobs: object) => dune(`    mov rax, [rbuf]\n    mov qword ptr [wbuf], 1\n    mov rdi, 0\n    call exit`,
    `.bss\n.align 4096\nrbuf: .zero 4096\nwbuf: .zero 4096`, knobs);

  it('the leaf written by a read fill has A, by a write fill A and D; the hardware sets neither again', () => {
    const r = prog({ eptAd: true });
    expect(r.status?.code).toBe(0);
    const v = vcpu(r);
    for (const [sym, d] of [['rbuf', 0], ['wbuf', EPTE.D]] as const) {
      const gpa = hvaToGpa(Number(r.s.program.symbols.get(sym)))!;
      const leaf = eptLookup(r.m.mem, v.eptRoot, gpa)!;
      expect(leaf.lo & (EPTE.A | EPTE.D)).toBe(EPTE.A | d);
      const entry = '0x' + eptEntryAddr(r.m.mem, v.eptRoot, gpa, 1, false)!.toString(16);
      expect(ofType(r.events, 'ad').filter((e) => e.table === 'ept' && e.entry === entry)).toEqual([]);
    }
  });

  it('with EPT A/D off the module writes neither bit (Ivy Bridge has none)', () => {
    const r = prog({ eptAd: false });
    const gpa = hvaToGpa(Number(r.s.program.symbols.get('wbuf')))!;
    expect(eptLookup(r.m.mem, vcpu(r).eptRoot, gpa)!.lo & (EPTE.A | EPTE.D)).toBe(0);
  });

  /** The vmx_do_ept_fault event of the fill of a symbol's page: GPA, HVA, HPA (from the host PTE). */
  const fill = (r: ReturnType<typeof dune>, sym: string) => {
    const hva = Number(r.s.program.symbols.get(sym)), gpa = hvaToGpa(hva)!;
    const pte = lookup(r.m.mem, r.k.procs[0].root, hva)!;
    const hpa = entryFrame(pte[0], pte[1]) * 4096;
    const hx = (n: number) => '0x' + n.toString(16);
    const e = ofType(r.events, 'kernel').find((k) => k.fn === 'vmx_do_ept_fault' && k.detail.startsWith(`GPA ${hx(gpa)} `))!;
    return { detail: e.detail, head: `GPA ${hx(gpa)} (HVA ${hx(hva)}) -> HPA ${hx(hpa)}: EPT entry ` };
  };
  it('the fill event names GPA, HVA and HPA, the permissions, and what was premarked', () => {
    const on = prog({ eptAd: true }), off = prog({ eptAd: false });
    for (const [r, read, write] of [[on, 'RX, WB, A premarked', 'RWX, WB, A D premarked'], [off, 'RX, WB', 'RWX, WB']] as const) {
      const rd = fill(r, 'rbuf'), wr = fill(r, 'wbuf');
      expect(rd.detail).toBe(rd.head + read);
      expect(wr.detail).toBe(wr.head + write);
    }
  });
});

describe('an exception whose delivery an EPT fill interrupted', () => {
  it('is re-injected (KVM’s way), the kernel event says so, and its exception event appears again', () => {
    const src = readFileSync(resolve(process.cwd(), 'samples/pgfault-dune.s'), 'utf8');
    const r = runLinux(src, { budget: 100_000_000 });
    expect(r.status?.code).toBe(0);
    const ev = r.events;
    const first = ev.findIndex((e) => e.type === 'exception' && e.to === 'guest-idt' && e.vector === 14);
    const exit = ev.findIndex((e, i) => i > first && e.type === 'vmexit');
    expect(ev[exit]).toMatchObject({ name: 'EPT_VIOLATION' });
    const entry = ev.findIndex((e, i) => i > exit && e.type === 'vmentry');
    const re = ev.slice(exit, entry).filter((e) => e.type === 'kernel' && e.fn === 'vmx_complete_interrupts');
    expect(re).toHaveLength(1);
    expect(re[0]).toMatchObject({ detail: expect.stringMatching(/^#PF \(vector 14, error code 0x2\) re-injected: delivered again after the EPT fill/) });
    expect(ev[entry + 1]).toMatchObject({ type: 'exception', vector: 14, errorCode: 2, to: 'guest-idt', cr2: '0x10000000' });
  });
});
