// Exception and interrupt delivery (cpu/interrupts.ts) called directly on a small machine
// (bare.ts) whose guest owns an IDT, GDT and TSS, with the values written out by hand from the
// SDM Vol. 3A "Interrupt and Exception Handling" (the 64-bit stack frame, 16-byte alignment, the
// TSS.RSP0 and IST stacks, IF for interrupt vs trap gates, the error codes of a bad gate:
// vector * 8 + 2 + EXT), "Conditions for Generating a Double Fault" and Vol. 3C "Exception Bitmap"
// and "Information for VM Exits During Event Delivery" (mutation testing, docs/testing.md).

import { describe, it, expect, vi } from 'vitest';
import { bare, COSTS } from './bare.ts';
import { gate, idt, GDT_TSS } from './util.ts';
import { deliver } from '../../../src/engine/cpu/interrupts.ts';
import { takeInterrupt } from '../../../src/engine/cpu/system.ts';
import { PIN } from '../../../src/engine/arch/vmx.ts';
import { VmExit } from '../../../src/engine/cpu/fault.ts';
import { eptUnmap } from '../../../src/engine/ept/ept.ts';
import { RSP } from '../../../src/engine/asm/ir.ts';
import { SEL } from '../../../src/engine/arch/x86.ts';

const NP = { present: false };
const SRC = `
h0: hlt
h3: hlt
h5: hlt
h6: hlt
h8: hlt
h11: hlt
h13: hlt
h14: hlt
h20: hlt
h80: hlt
i_int80: int 0x80
i_int3: int3
i_int22: int 0x22
i_int13: int 13
${idt({
  3: gate('h3', { type: 0xf, dpl: 3 }), 5: gate('h5', NP), 6: gate('h6'), 8: gate('h8', { ist: 1 }), 11: gate('h11'),
  12: gate('h0', NP), 13: gate('h13'), 14: gate('h14'), 0x20: gate('h20', { ist: 1 }), 0x21: gate('h0', NP),
  0x22: gate('h0', { type: 0xf }), 0x23: gate('h0', { type: 0xc }), 0x24: gate('h0', { sel: 0x33 }),
  0x26: gate('h20', { ist: 2 }), 0x80: gate('h80', { dpl: 3 }), 0x81: gate('h80', { dpl: 3, type: 0xf }),
}, 0x90)}
${GDT_TSS}
.align 16
ist1: .zero 512
ist1_top:
ist2: .zero 512
ist2_top:
`;

const STACK = 0x7ffffffff000 - 0x100;

function machine(o: { cpl?: 0 | 3; root?: boolean } = {}) {
  const b = bare(SRC, o), { c, m } = b;
  c.idtrBase = b.sym('idt'); c.idtrLimit = 0x90 * 16 - 1;
  c.gdtrBase = b.sym('gdt'); c.gdtrLimit = 0x4f;
  c.trBase = b.sym('tss');
  m.write64(c.trBase + 0x24, BigInt(b.sym('ist1_top') - 8)); // IST1, not 16-byte aligned
  m.write64(c.trBase + 0x2c, BigInt(b.sym('ist2_top')));
  c.setVa(RSP, STACK - 8);
  c.rip = b.sym('i_int80');
  /** The quadwords from RSP up. */
  const stack = (n: number) => Array.from({ length: n }, (_, i) => m.read64(c.va(RSP) + 8 * i));
  const kinds = () => b.events.filter((e) => e.type === 'kernel' && (e as { fn: string }).fn === 'cpu').map((e) => (e as { detail: string }).detail);
  /** The why of the last exception event. */
  const lastWhy = () => (b.events.filter((e) => e.type === 'exception').at(-1) as { why?: string }).why;
  return { ...b, stack, kinds, lastWhy };
}

describe('the 64-bit frame', () => {
  it('a fault with an error code: RSP aligned down to 16, then SS, RSP, RFLAGS, CS, RIP, error; IF and TF cleared', () => {
    const b = machine(), { c, m } = b;
    c.setRflags(0x343); c.halted = true;
    const seen = b.mark(), cyc = m.cycles, rip = c.rip;
    deliver(m, 13, 0x1234, 0, 'fault', 'a test');
    expect(c.va(RSP)).toBe(STACK - 16 - 48);
    expect(b.stack(6)).toEqual([0x1234n, BigInt(rip), 0x10n, 0x343n, BigInt(STACK - 8), 0x18n]);
    expect([c.rip, c.cs, c.ss, c.rflags(), c.halted]).toEqual([b.sym('h13'), 0x10, 0x18, 0x43, false]);
    expect(m.cycles - cyc).toBe(COSTS.exception);
    expect(m.delivering).toBe(0);
    expect(seen().filter((e) => e.type === 'exception')).toMatchObject([{ vector: 13, name: '#GP', errorCode: 0x1234, to: 'guest-idt', why: 'a test' }]);
    expect(seen().filter((e) => e.type === 'ring')).toEqual([]);
  });

  it('a trap gate keeps IF; no error code for #BP; a fault with a null code pushes 0 only where the vector has one', () => {
    const b = machine(), { c, m } = b;
    c.setRflags(0x302);
    deliver(m, 3, null, 0, 'trap', '', 0x8000_0000_1000);
    expect(c.va(RSP)).toBe(STACK - 16 - 40);
    expect(b.stack(2)).toEqual([0xffff_8000_0000_1000n, 0x10n]); // the return RIP in canonical form
    expect([c.rip, c.rflags()]).toEqual([b.sym('h3'), 0x202]);
    c.setVa(RSP, STACK);
    deliver(m, 13, null, 0, 'fault');
    expect(b.stack(1)).toEqual([0n]);
    expect(c.va(RSP)).toBe(STACK - 48);
    c.setVa(RSP, STACK);
    const seen = b.mark();
    deliver(m, 6, null, 0, 'fault');
    expect(c.va(RSP)).toBe(STACK - 40);
    expect(seen().filter((e) => e.type === 'exception')).toMatchObject([{ vector: 6, name: '#UD', errorCode: null }]);
    expect(seen().find((e) => e.type === 'exception')).not.toHaveProperty('why');
  });

  it('only #PF sets CR2 and shows it; INT n gets no error code, even for a vector that has one', () => {
    const k = machine();
    k.c.cr2 = 0x5000;
    const s0 = k.mark();
    deliver(k.m, 13, 0, 0x9000, 'fault');
    deliver(k.m, 13, null, 0x9000, 'soft', '', k.c.rip + 2);
    deliver(k.m, 0x80, 5, 0, 'soft', '', k.c.rip + 2);
    expect(k.c.cr2).toBe(0x5000);
    const ex = s0().filter((e) => e.type === 'exception');
    expect(ex.map((e) => 'cr2' in e)).toEqual([false, false, false]);
    expect(ex.map((e) => (e as { errorCode: number | null }).errorCode)).toEqual([0, null, 5]);
    expect(k.c.va(RSP)).toBe(STACK - 16 - 48 - 40 - 8 - 40); // neither INT pushed an error code (the second realigned)
    const r = machine({ root: true });
    const s1 = r.mark();
    deliver(r.m, 6, null, 0, 'fault');
    expect(s1().filter((e) => e.type === 'exception')).toMatchObject([{ to: 'host-kernel' }]);
  });

  it('#PF sets CR2 (and the event shows it); an external interrupt emits no exception event', () => {
    const b = machine(), { c, m } = b;
    const seen = b.mark();
    deliver(m, 14, 2, 0x8000_0000_1000, 'fault');
    expect(c.cr2).toBe(0x8000_0000_1000);
    expect(seen().filter((e) => e.type === 'exception')).toMatchObject([{ vector: 14, errorCode: 2, cr2: '0xffff800000001000' }]);
    const seen2 = b.mark();
    deliver(m, 0x80, 7, 0, 'intr');
    expect(seen2().filter((e) => e.type === 'exception')).toEqual([]);
    expect(c.va(RSP)).toBe(STACK - 16 - 48 - 40); // no error code pushed for an interrupt
  });

  it('the IST stack (IST1 at TSS + 0x24, IST2 at + 0x2c), even without a privilege change', () => {
    const k = machine();
    deliver(k.m, 0x26, null, 0, 'intr');
    expect(k.c.va(RSP)).toBe(k.sym('ist2_top') - 40);
    const b = machine(), { c, m } = b;
    deliver(m, 0x20, null, 0, 'intr');
    expect(c.va(RSP)).toBe(b.sym('ist1_top') - 16 - 40);
    expect(b.stack(5)).toEqual([BigInt(b.sym('i_int80')), 0x10n, 2n, BigInt(STACK - 8), 0x18n]);
  });
});

describe('from CPL 3', () => {
  it('INT 0x80: the stack from TSS.RSP0, SS becomes NULL, the frame holds the next RIP and the user SS:RSP', () => {
    const b = machine({ cpl: 3 }), { c, m } = b;
    // The IDT, TSS and kernel stack on a supervisor page: delivery reads and writes them as such.
    for (const a of [b.sym('idt'), b.sym('tss'), b.sym('kstack_top') - 8, b.sym('ist1_top') - 8]) b.supervisor(a);
    c.setVa(RSP, 0x7fff_ffff_e008);
    const seen = b.mark();
    expect(b.step('i_int80')).toBe(null);
    const top = b.sym('kstack_top');
    expect(c.va(RSP)).toBe(top - 40);
    expect(b.stack(5)).toEqual([BigInt(b.sym('i_int80') + 2), BigInt(SEL.USER_CS), 2n, 0x7fff_ffff_e008n, BigInt(SEL.USER_DS)]);
    expect([c.rip, c.cs, c.ss, m.xc.cpl]).toEqual([b.sym('h80'), 0x10, 0, 0]);
    expect(seen().filter((e) => e.type === 'ring')).toMatchObject([{ from: 3, to: 0, via: 'interrupt' }]);
    b.ring(3);
    deliver(m, 0x20, null, 0, 'intr'); // IST1 on the supervisor page
    expect(c.va(RSP)).toBe(b.sym('ist1_top') - 16 - 40);
    b.ring(3);
    deliver(m, 13, 0, 0, 'fault');
    expect(b.events.filter((e) => e.type === 'ring').at(-1)).toMatchObject({ from: 3, to: 0, via: 'exception' });
  });

  it('INT 13 (a software interrupt, benign) into a DPL-0 gate: the #GP is handled serially, not a #DF', () => {
    const b = machine({ cpl: 3 });
    b.step('i_int13');
    expect([b.c.rip, b.stack(1)[0]]).toEqual([b.sym('h13'), 13n * 8n + 2n]);
    const k = machine();
    deliver(k.m, 12, null, 0, 'intr'); // an external interrupt to vector 12's not-present gate
    expect([k.c.rip, k.stack(1)[0]]).toEqual([k.sym('h11'), 12n * 8n + 3n]);
  });

  it('INT3 through a DPL-3 trap gate is an exception; an external interrupt to a DPL-0 gate is not checked', () => {
    const b = machine({ cpl: 3 }), { c, m } = b;
    c.setRflags(0x202);
    const seen = b.mark();
    b.step('i_int3');
    expect([c.rip, c.rflags()]).toEqual([b.sym('h3'), 0x202]);
    expect(seen().find((e) => e.type === 'exception')).not.toHaveProperty('why'); // INT3 has no diagnostic
    expect(b.stack(1)).toEqual([BigInt(b.sym('i_int3') + 1)]);
    b.ring(3);
    deliver(m, 0x22, null, 0, 'intr');
    expect(c.rip).toBe(b.sym('h0'));
    expect(seen().filter((e) => e.type === 'ring')).toMatchObject([{ via: 'exception' }, { via: 'interrupt' }]);
  });

  it('INT n to a gate of DPL < CPL is #GP(vector * 8 + 2), delivered in its place; from CPL 0 the gate is taken', () => {
    const b = machine({ cpl: 3 }), { c } = b;
    b.step('i_int22');
    expect(c.rip).toBe(b.sym('h13'));
    expect(b.stack(2)).toEqual([0x112n, BigInt(b.sym('i_int22'))]); // a fault: the INT's own RIP
    expect(b.kinds().at(-1)).toMatch(/#GP while delivering vector 34 .*handled serially/);
    const k = machine();
    k.step('i_int22');
    expect(k.c.rip).toBe(k.sym('h0'));
  });
});

describe('an external interrupt taken (system.ts takeInterrupt)', () => {
  it('in root, and in non-root without external-interrupt exiting: through the IDT, the frame holds RIP', () => {
    for (const root of [true, false]) {
      const b = machine({ root, cpl: 3 }), { c, m } = b;
      if (!root) m.vmx.pin &= ~PIN.EXT_INTR_EXITING;
      const exit = vi.spyOn(m.vmx, 'exit');
      m.pendingIntr = 0x80;
      const seen = b.mark();
      takeInterrupt(m);
      expect(exit).not.toHaveBeenCalled();
      expect([m.pendingIntr, c.rip, c.va(RSP)]).toEqual([-1, b.sym('h80'), b.sym('kstack_top') - 40]);
      expect(b.stack(1)).toEqual([BigInt(b.sym('i_int80'))]);
      expect(seen().filter((e) => e.type === 'exception')).toEqual([]);
      expect(seen().filter((e) => e.type === 'ring')).toMatchObject([{ via: 'interrupt' }]);
    }
  });
});

describe('a bad gate (serial handling)', () => {
  const err = (vector: number, kind: 'fault' | 'intr' | 'soft', limit?: number) => {
    const b = machine(), { c, m } = b;
    if (limit !== undefined) c.idtrLimit = limit;
    deliver(m, vector, kind === 'fault' ? 0 : null, 0, kind);
    return [c.rip, b.stack(1)[0]];
  };
  it('each fault says why (the exception event delivered in its place)', () => {
    const whys = ([[0x21, 'intr'], [0x80, 'intr', 0x80 * 16 + 14], [0x23, 'intr'], [0x24, 'intr']] as const).map(([v, k, l]) => {
      const b = machine();
      if (l) b.c.idtrLimit = l;
      deliver(b.m, v, null, 0, k);
      return b.lastWhy();
    });
    expect(whys).toEqual(['gate not present', 'vector beyond the IDT limit', 'not an interrupt or trap gate', 'gate to a less privileged segment']);
    const b = machine({ cpl: 3 });
    b.step('i_int22');
    expect(b.lastWhy()).toBe('INT 34 from CPL 3 to a DPL 0 gate');
  });

  it('not present: #NP(vector * 8 + 2 + EXT)', () => {
    const b = machine();
    expect(err(0x21, 'intr')).toEqual([b.sym('h11'), 0x10bn]);
    expect(err(0x21, 'soft')).toEqual([b.sym('h11'), 0x10an]);
  });
  it('beyond the IDT limit, or not an interrupt or trap gate: #GP(vector * 8 + 2 + EXT)', () => {
    const b = machine();
    expect(err(0x80, 'intr', 0x80 * 16 + 14)).toEqual([b.sym('h13'), 0x403n]);
    expect(err(0x80, 'intr', 0x80 * 16 + 15)).toEqual([b.sym('h80'), BigInt(b.sym('i_int80'))]);
    expect(err(0x23, 'intr')).toEqual([b.sym('h13'), 0x11bn]);
    expect(err(0x23, 'soft')).toEqual([b.sym('h13'), 0x11an]);
  });
  it('to a less privileged code segment: #GP(selector); a non-canonical offset: #GP(0)', () => {
    const b = machine();
    expect(err(0x24, 'intr')).toEqual([b.sym('h13'), 0x30n]);
    const k = machine(), g = k.c.idtrBase + 0x80 * 16;
    k.m.write64(g + 8, 0x8000n); // offset bits 63:32 = 0x8000: bit 47 set, 63:48 clear
    deliver(k.m, 0x80, null, 0, 'intr');
    expect([k.c.rip, k.stack(1)[0], k.lastWhy()]).toEqual([k.sym('h13'), 0n, 'gate offset not canonical']);
    const z = machine(), zg = z.c.idtrBase + 0x80 * 16;
    z.m.write64(zg, z.m.read64(zg) & 0x0000_ffff_ffff_0000n); z.m.write64(zg + 8, 0n); // offset 0
    deliver(z.m, 0x80, null, 0, 'intr');
    expect(z.c.rip).toBe(0);
  });
});

describe('#DF and triple fault', () => {
  it('contributory while delivering contributory: #DF (error 0) on its IST stack', () => {
    const b = machine(), { c, m } = b;
    deliver(m, 12, 0, 0, 'fault'); // #SS through a not-present gate: #NP
    expect(c.rip).toBe(b.sym('h8'));
    expect(c.va(RSP)).toBe(b.sym('ist1_top') - 16 - 48);
    expect(b.stack(1)).toEqual([0n]);
    expect(b.kinds().at(-1)).toMatch(/^#NP while delivering #SS .*: double fault$/);
    expect(m.delivering).toBe(0);
  });

  it('#PF while delivering #PF: #DF; #PF while delivering a contributory exception: serial', () => {
    const b = machine(), { c, m } = b;
    c.setVa(RSP, 0x10000); // not mapped
    deliver(m, 14, 0, 0x1234, 'fault');
    expect(c.rip).toBe(b.sym('h8'));
    const k = machine(), g = k.c.idtrBase + 14 * 16;
    k.m.write64(g, k.m.read64(g) | (1n << 32n)); // #PF on IST1
    k.c.setVa(RSP, 0x10000);
    deliver(k.m, 13, 0, 0, 'fault');
    expect(k.c.rip).toBe(k.sym('h14'));
    expect(k.c.cr2).toBe(0x10000 - 8);
    expect(k.stack(1)).toEqual([2n]); // a supervisor write to a not-present page
  });

  it('a contributory exception while delivering #PF: #DF; anything while delivering a benign one: serial', () => {
    const b = machine(), { c, m } = b, g = c.idtrBase + 14 * 16;
    m.write64(g, m.read64(g) & ~(1n << 47n));
    deliver(m, 14, 0, 0, 'fault');
    expect(c.rip).toBe(b.sym('h8'));
    const k = machine();
    deliver(k.m, 5, null, 0, 'fault'); // #BR is benign
    expect([k.c.rip, k.stack(1)[0]]).toEqual([k.sym('h11'), 5n * 8n + 3n]);
  });

  it('a fault while delivering #DF: in non-root a triple-fault VM exit; in root the machine stops', () => {
    const b = machine(), { c, m } = b, g = c.idtrBase + 8 * 16;
    m.write64(g, m.read64(g) & ~(1n << 47n));
    const exit = vi.spyOn(m.vmx, 'exit').mockImplementation(() => {});
    m.delivering = 0;
    deliver(m, 8, 0, 0, 'fault');
    expect((exit.mock.calls[0][0] as VmExit).reason).toBe(2);
    expect(m.delivering).toBe(0);
    const r = machine({ root: true }), rg = r.c.idtrBase + 8 * 16;
    r.m.write64(rg, r.m.read64(rg) & ~(1n << 47n));
    const host = { report: [] as string[], reportMsgs: [] as { key: string }[] };
    r.m.host = host as never;
    deliver(r.m, 12, 0, 0, 'fault');
    expect(r.m.status).toEqual({ code: 137, how: 'signal' });
    expect(host.report[0]).toMatch(/^triple fault in the host \(VMX root\): fault \(#NP\) while delivering #DF/);
    expect(host.reportMsgs[0].key).toBe('triple-fault');
    expect(r.m.delivering).toBe(0);
    expect(r.kinds().at(-1)).toBe('triple fault in VMX root (fault (#NP) while delivering #DF): the machine shuts down');
    const n = machine({ root: true }), ng = n.c.idtrBase + 8 * 16;
    n.m.write64(ng, n.m.read64(ng) & ~(1n << 47n));
    n.m.host = null;
    deliver(n.m, 8, 0, 0, 'fault');
    expect(n.m.status).toEqual({ code: 137, how: 'signal' });
  });
});

describe('VMX non-root: the exception bitmap', () => {
  function exits(bitmap: number) {
    const b = machine(), { m } = b;
    m.vmx.excBitmap = bitmap;
    const exit = vi.spyOn(m.vmx, 'exit').mockImplementation(() => {});
    const got = () => exit.mock.calls.map(([e]) => [e.reason, e.qual, e.instrLen, e.intrInfo, e.intrError]);
    return { ...b, got };
  }
  it('a hardware exception in the bitmap exits with its interruption information (type 3, error valid)', () => {
    const b = exits(1 << 13 | 1 << 14 | 1 << 6);
    const seen = b.mark();
    deliver(b.m, 13, 0x10, 0, 'fault');
    deliver(b.m, 14, 3, 0x8000_0000_1000, 'fault');
    deliver(b.m, 6, null, 0, 'fault');
    expect(b.got()).toEqual([[0, 0, 0, 0x8000_0b0d, 0x10], [0, 0x8000_0000_1000, 0, 0x8000_0b0e, 3], [0, 0, 0, 0x8000_0306, 0]]);
    expect(b.c.rip).toBe(b.sym('i_int80'));
    expect(seen().filter((e) => e.type === 'exception')).toMatchObject([
      { vector: 13, name: '#GP', errorCode: 0x10, to: 'vmexit' }, { vector: 14, errorCode: 3, cr2: '0xffff800000001000', to: 'vmexit' }, { vector: 6, errorCode: null }]);
    expect('cr2' in seen().filter((e) => e.type === 'exception')[0]).toBe(false);
  });
  it('#PF: the PFEC mask and match select by the error code', () => {
    const b = exits(1 << 14);
    b.m.vmx.pfecMask = 2; b.m.vmx.pfecMatch = 2; // writes only
    deliver(b.m, 14, 0, 0x1000, 'fault');
    expect(b.got()).toEqual([]);
    deliver(b.m, 14, 2, 0x1000, 'fault');
    expect(b.got()).toEqual([[0, 0x1000, 0, 0x8000_0b0e, 2]]);
  });
  it('INT3 and INT n as executed (system.ts): INT3 exits as a software exception; INT n is delivered, with no diagnostic', () => {
    const b = exits(1 << 3 | 1 << 13);
    b.step('i_int3');
    expect(b.got()).toEqual([[0, 0, 1, 0x8000_0603, 0]]);
    const seen = b.mark();
    b.step('i_int80');
    expect(b.c.rip).toBe(b.sym('h80'));
    const ev = seen().filter((e) => e.type === 'exception');
    expect(ev).toMatchObject([{ vector: 0x80, errorCode: null, to: 'guest-idt' }]);
    expect(ev[0]).not.toHaveProperty('why');
  });
  it('INT3 exits as a software exception of length 1; INT n, interrupts, injected events and root do not', () => {
    const b = exits(0xffffffff);
    deliver(b.m, 3, null, 0, 'soft', '', b.c.rip + 1);
    expect(b.got()).toEqual([[0, 0, 1, 0x8000_0603, 0]]);
    deliver(b.m, 13, null, 0, 'soft', '', b.c.rip + 2);
    expect(b.c.rip).toBe(b.sym('h13'));
    deliver(b.m, 13, 0, 0, 'intr');
    deliver(b.m, 13, 0, 0, 'fault', '', b.c.rip, true);
    b.m.vmx.nonRoot = false;
    deliver(b.m, 13, 0, 0, 'fault');
    expect(b.got()).toHaveLength(1);
  });
});

describe('a VM exit during delivery (IDT-vectoring information)', () => {
  function holed() {
    const b = machine(), { m, g } = b;
    const page = STACK - (STACK % 4096);
    eptUnmap(m.mem, g.eptRoot, g.gpaOf.get(page)!);
    m.mmu.flushVpid(1);
    const exit = vi.spyOn(m.vmx, 'exit').mockImplementation(() => {});
    const got = () => exit.mock.calls.map(([e]) => [e.reason, e.idtInfo, e.idtError, e.idtInstrLen]);
    return { ...b, got };
  }
  it('records the event: vector, type (3 hardware exception, 4 software interrupt, 6 INT3, 0 external), error', () => {
    const b = holed(), { m, c } = b;
    deliver(m, 13, 0x10, 0, 'fault');
    deliver(m, 6, null, 0, 'fault');
    deliver(m, 0x80, null, 0, 'soft', '', c.rip + 2);
    deliver(m, 3, null, 0, 'soft', '', c.rip + 1);
    deliver(m, 0x80, 5, 0, 'intr');
    deliver(m, 3, null, 0, 'trap', '', c.rip + 1);
    expect(b.got()).toEqual([
      [48, 0x8000_0b0d, 0x10, 0], [48, 0x8000_0306, 0, 0], [48, 0x8000_0480, 0, 2], [48, 0x8000_0603, 0, 1], [48, 0x8000_0080, 0, 0],
      [48, 0x8000_0303, 0, 0],
    ]);
    expect(m.delivering).toBe(0);
  });
  it('the fault delivered in place of the first (serially, or as #DF) is recorded as a hardware exception with its error code', () => {
    const b = holed(), { m } = b;
    deliver(m, 0x21, null, 0, 'intr'); // not present: #NP(0x10b), whose frame hits the hole
    const k = holed(), g = k.c.idtrBase + 8 * 16;
    k.m.write64(g, k.m.read64(g) & ~(7n << 32n)); // #DF on the current stack, not IST1
    deliver(k.m, 12, 0, 0, 'fault'); // #SS -> #NP: #DF
    expect([...b.got(), ...k.got()]).toEqual([[48, 0x8000_0b0b, 0x10b, 0], [48, 0x8000_0b08, 0, 0]]);
  });
  it('an engine error during delivery is not an exception: it propagates', () => {
    const b = machine(), { m } = b;
    vi.spyOn(m, 'store').mockImplementation(() => { throw new Error('boom'); });
    expect(() => deliver(m, 13, 0, 0, 'fault')).toThrow('boom');
    expect(m.delivering).toBe(0);
  });
});
