// The VMX instructions as root software sees them (SDM Vol. 3C "VMX Instruction Reference"):
// when each may run (#UD outside VMX operation, #GP at CPL 3), what each failure says, INVEPT and
// INVVPID's events and cost, and the VMX state a checkpoint saves and restores.

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType } from '../harness.ts';
import { VMCS, PROC2, EXIT_CTL } from '../../../src/engine/arch/vmx.ts';
import { CR0, CR4, VEC } from '../../../src/engine/arch/x86.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { Vmcs } from '../../../src/engine/vtx/vmcs.ts';

function stopped() {
  const g = makeGuest(`_start:\n  mov rax, 60\n  xor edi, edi\n  vmcall\n`);
  g.run();
  const vx = g.m.vmx, v = vx.current!;
  const wr = (f: keyof typeof VMCS, val: bigint | number) => expect(vx.vmwrite(VMCS[f], BigInt(val))).toEqual({ ok: true });
  return { g, vx, v, wr, c: g.m.cpu, rd: (f: keyof typeof VMCS) => v.read(VMCS[f]) };
}
type S = ReturnType<typeof stopped>;
const thrown = (f: () => unknown) => { try { f(); } catch (e) { return e as Error & CpuFault; } throw new Error('did not throw'); };
/** What a thrown CpuFault or Error says: CpuFault keeps it in `why`. */
const says = (e: unknown) => (e instanceof CpuFault ? e.why : (e as Error).message);

describe('when a VMX instruction may run', () => {
  it('outside VMX operation: #UD, naming the instruction', () => {
    const s = stopped();
    s.vx.on = false;
    const e = thrown(() => s.vx.vmptrld(s.v));
    expect(e).toBeInstanceOf(CpuFault);
    expect((e as CpuFault).vector).toBe(VEC.UD);
    expect(says(e)).toBe('VMPTRLD outside VMX operation');
    expect(says(thrown(() => s.vx.vmread(VMCS.GUEST_RIP)))).toBe('VMREAD outside VMX operation');
    const named: [string, () => unknown][] = [['VMWRITE', () => s.vx.vmwrite(VMCS.GUEST_RIP, 0n)], ['VMLAUNCH', () => s.vx.vmlaunch()],
      ['VMRESUME', () => s.vx.vmresume()], ['INVEPT', () => s.vx.invept(1, 0)], ['INVVPID', () => s.vx.invvpid(1, 1)]];
    for (const [name, f] of named) expect(says(thrown(f))).toBe(`${name} outside VMX operation`);
  });
  it('at CPL 3: #GP(0)', () => {
    const s = stopped();
    s.c.cs |= 3;
    const e = thrown(() => s.vx.vmclear(s.v));
    expect([e.vector, e.error, says(e)]).toEqual([VEC.GP, 0, 'VMCLEAR at CPL 3']);
  });
  it('in VMX non-root operation: refused (it would exit), for root software only', () => {
    const s = stopped();
    expect(s.vx.vmresume()).toEqual({ ok: true });
    expect(thrown(() => s.vx.vmread(VMCS.GUEST_RIP)).message).toBe('VMREAD in VMX non-root operation would exit; root software only');
  });
  it('VMXON needs CR4.VMXE', () => {
    const s = stopped();
    s.vx.on = false;
    s.c.cr4 &= ~CR4.VMXE;
    const e = thrown(() => s.vx.vmxon());
    expect([e.vector, says(e)]).toEqual([VEC.UD, 'VMXON with CR4.VMXE = 0']);
    expect(s.vx.on).toBe(false);
    s.c.cr4 |= CR4.VMXE;
    s.vx.vmxon();
    expect(s.vx.on).toBe(true);
  });
  it('VMREAD of a component the VMCS does not have is an error that names it', () => {
    expect(thrown(() => new Vmcs(1).read(0x7777)).message).toBe('VMREAD of unsupported VMCS component 0x7777');
    const v = new Vmcs(1);
    expect(v.launched).toBe(false);
    expect(v.write(VMCS.GUEST_RIP, 5n)).toBe('ok');
  });
  it('VMCLEAR of another VMCS keeps the current one; of the current one leaves none', () => {
    const s = stopped();
    const other = s.vx.allocVmcs();
    s.vx.vmclear(other);
    expect(s.vx.current).toBe(s.v);
    s.vx.vmclear(s.v);
    expect(s.vx.current).toBeNull();
    expect(s.v.launched).toBe(false);
  });
  it('allocVmcs numbers regions 1, 2, ... as it registers them', () => {
    const s = stopped();
    const n = s.vx.regions.size;
    const a = s.vx.allocVmcs(), b = s.vx.allocVmcs();
    expect([a.id, b.id]).toEqual([n + 1, n + 2]);
    expect(s.vx.regions.get(a.id)).toBe(a);
  });
});

describe('what each VM-instruction failure says (VMfailValid event and result)', () => {
  const cases: [string, (s: S) => void, number, RegExp][] = [
    ['VMLAUNCH of a launched VMCS', () => {}, 4, /^VMLAUNCH with a non-clear VMCS$/],
    ['invalid EPTP', (s) => s.wr('EPT_POINTER', s.rd('EPT_POINTER') | 0x100n), 7, /^VM entry: invalid EPTP 0x[0-9a-f]+ \(memory type must be UC or WB, walk length 4\)$/],
    ['EPTP above MAXPHYADDR', (s) => s.wr('EPT_POINTER', (s.rd('EPT_POINTER') & 0xfffn) | (1n << 36n)), 7, /^VM entry: invalid EPTP 0x1000000/],
    ['VPID 0', (s) => s.wr('VIRTUAL_PROCESSOR_ID', 0), 7, /^VM entry: "enable VPID" with VPID 0000H$/],
    ['unrestricted guest', (s) => s.wr('SECONDARY_VM_EXEC_CONTROL', PROC2.UNRESTRICTED_GUEST | PROC2.ENABLE_VPID), 7, /^VM entry: "unrestricted guest" without "enable EPT"$/],
    ['CR3 targets', (s) => s.wr('CR3_TARGET_COUNT', 9), 7, /^VM entry: CR3-target count above 4$/],
    ['MSR bitmap', (s) => s.wr('MSR_BITMAP', s.rd('MSR_BITMAP') + 8n), 7, /^VM entry: MSR-bitmap address not 4-KByte aligned$/],
    ['host CR0', (s) => s.wr('HOST_CR0', Number(s.rd('HOST_CR0')) & ~CR0.PG), 8, /^VM entry: host CR0\/CR4 not fixed \(PE, PG, PAE, VMXE\)$/],
    ['host address-space size', (s) => s.wr('VM_EXIT_CONTROLS', Number(s.rd('VM_EXIT_CONTROLS')) & ~EXIT_CTL.HOST_ADDR_SPACE_SIZE), 8, /^VM entry: "host address-space size" is 0 on a 64-bit host$/],
    ['host RIP not canonical', (s) => s.wr('HOST_RIP', 0x0000800000000000n), 8, /^VM entry: host RIP not canonical or host CS selector invalid$/],
    ['host CS selector 0', (s) => s.wr('HOST_CS_SELECTOR', 0), 8, /^VM entry: host RIP not canonical or host CS selector invalid$/],
    ['host CS selector with RPL 3', (s) => s.wr('HOST_CS_SELECTOR', 0x13), 8, /^VM entry: host RIP not canonical or host CS selector invalid$/],
  ];
  for (const [name, bad, error, message] of cases) {
    it(`${name}: error ${error}`, () => {
      const s = stopped();
      bad(s);
      const r = name.startsWith('VMLAUNCH') ? s.vx.vmlaunch() : s.vx.vmresume();
      expect(r).toMatchObject({ ok: false, error, message: expect.stringMatching(message) });
      expect(s.vx.lastError).toEqual({ error, message: (r as { message: string }).message });
      expect(ofType(s.g.events, 'vmfail').at(-1)).toMatchObject({ error, instr: (r as { message: string }).message.split(' ')[0] });
    });
  }
  it('a canonical host RIP in the upper half and CS 0x10 enter', () => {
    const s = stopped();
    expect(s.rd('HOST_RIP') >> 47n).toBe(0x1ffffn);
    expect(s.vx.vmresume()).toEqual({ ok: true });
  });
  it('VMRESUME of a clear VMCS; VM entry with no VMCS; VMWRITE to a read-only or unknown field', () => {
    const s = stopped();
    s.vx.vmclear(s.v); s.vx.vmptrld(s.v);
    expect(s.vx.vmresume()).toMatchObject({ error: 5, message: 'VMRESUME with a non-launched VMCS' });
    expect(s.vx.vmwrite(VMCS.VM_EXIT_REASON, 1n)).toMatchObject({ error: 13, message: 'VMWRITE to read-only component 0x4402' });
    expect(s.vx.vmwrite(0x7777, 1n)).toMatchObject({ error: 12, message: 'VMWRITE to unsupported component 0x7777' });
    s.vx.vmclear(s.v);
    expect(s.vx.vmlaunch()).toMatchObject({ ok: false, message: 'VM entry with no current VMCS (VMfailInvalid)' });
    expect(thrown(() => s.vx.vmread(VMCS.GUEST_RIP)).message).toBe('no current VMCS (VMfailInvalid)');
  });
  it('invalid guest state: a VM-entry failure event (reason 33) and its message', () => {
    const s = stopped();
    s.wr('GUEST_RFLAGS', 0);
    expect(s.vx.vmresume()).toMatchObject({ ok: false, error: 33, message: expect.stringMatching(/^VM-entry failure: invalid guest state \(CR0\.PE\/PG, CR4\.VMXE/) });
    expect(ofType(s.g.events, 'vmexit').at(-1)).toMatchObject({ reason: 33, name: 'INVALID_GUEST_STATE', qualification: '0x0', entryFailure: true });
  });
});

describe('INVEPT and INVVPID', () => {
  it('INVEPT single-context and all-context: the event names the scope (and the EPT), and costs an INVLPG', () => {
    const s = stopped();
    const eptp = Number(s.rd('EPT_POINTER'));
    const c0 = s.g.m.cycles;
    expect(s.vx.invept(1, eptp)).toEqual({ ok: true });
    expect(s.g.m.cycles - c0).toBe(s.g.m.costs.invlpg);
    expect(ofType(s.g.events, 'tlb').at(-1)).toMatchObject({ op: 'invept', scope: 'single-context', ept: '0x' + (eptp - (eptp % 4096)).toString(16) });
    expect(s.vx.invept(2, 0)).toEqual({ ok: true });
    const all = ofType(s.g.events, 'tlb').at(-1)!;
    expect(all).toMatchObject({ op: 'invept', scope: 'all-context' });
    expect(all).not.toHaveProperty('ept', expect.anything());
    expect(s.vx.invept(3, eptp)).toMatchObject({ ok: false, error: 28, message: 'INVEPT type 3 not supported' });
  });
  it('INVVPID: type 0 carries the address; the others name their scope; each costs an INVLPG', () => {
    const s = stopped();
    const scopes: [number, string][] = [[0, 'individual-address'], [1, 'single-context'], [2, 'all-context (every VPID but 0000H)'], [3, 'single-context, retaining globals']];
    for (const [type, scope] of scopes) {
      const c0 = s.g.m.cycles;
      expect(s.vx.invvpid(type, 1, 0x401000)).toEqual({ ok: true });
      expect(s.g.m.cycles - c0).toBe(s.g.m.costs.invlpg);
      const e = ofType(s.g.events, 'tlb').at(-1)!;
      expect(e).toMatchObject({ op: 'invvpid', vpid: 1, scope });
      if (type === 0) expect(e.va).toBe('0x401000'); else expect(e).not.toHaveProperty('va');
    }
    expect(s.vx.invvpid(4, 1)).toMatchObject({ error: 28, message: 'INVVPID type 4 not supported' });
    expect(s.vx.invvpid(1, 0)).toMatchObject({ error: 28, message: 'INVVPID of VPID 0000H' });
  });
});

describe('VMX state in a checkpoint', () => {
  it('restore brings back the current VMCS (a copy, by id), every region, and the cached controls', () => {
    const s = stopped();
    s.vx.regions.set(s.v.id, s.v); // the harness made its VMCS by hand; the module uses allocVmcs
    const saved = s.vx.save();
    const rip = s.rd('GUEST_RIP');
    s.wr('GUEST_RIP', 0x1234);
    s.vx.vmclear(s.v);
    s.vx.allocVmcs();
    s.vx.eptp = 0;
    s.vx.restore(saved);
    expect(s.vx.current).not.toBeNull();
    expect(s.vx.current!.id).toBe(s.v.id);
    expect(s.vx.current!.read(VMCS.GUEST_RIP)).toBe(rip);
    expect(s.vx.current!.launched).toBe(true);
    expect(s.vx.regions.get(s.v.id)).toBe(s.vx.current);
    expect(s.vx.eptp).toBe(Number(s.vx.current!.read(VMCS.EPT_POINTER)));
    // The restored regions are copies: changing them does not change the checkpoint.
    s.vx.current!.write(VMCS.GUEST_RIP, 0x999n);
    s.vx.restore(saved);
    expect(s.vx.current!.read(VMCS.GUEST_RIP)).toBe(rip);
    expect(s.vx.vmresume()).toEqual({ ok: true });
  });
  it('a checkpoint taken with no current VMCS restores none', () => {
    const s = stopped();
    s.vx.regions.set(s.v.id, s.v);
    s.vx.vmclear(s.v);
    const saved = s.vx.save();
    s.vx.vmptrld(s.v);
    s.vx.restore(saved);
    expect(s.vx.current).toBeNull();
  });
});
