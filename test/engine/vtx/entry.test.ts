// SDM oracle for VMX instructions and VM-entry checks (vtx-facts §6): VMfailValid error numbers
// for controls (7) and host state (8), launch state (4, 5), read-only fields (13), and VM-entry
// failure for invalid guest state (exit reason 33 with bit 31).

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType } from '../harness.ts';
import { VMCS, PROC2, EXIT_CTL, ENTRY_CTL } from '../../../src/engine/arch/vmx.ts';
import { CR0, CR4, EFER } from '../../../src/engine/arch/x86.ts';

const PROG = `_start:\n  mov rax, 60\n  xor edi, edi\n  vmcall\n`;

/** A guest that ran to its exit VMCALL: the VMCS is current and launched, the CPU in root. */
function stopped() {
  const g = makeGuest(PROG);
  g.run();
  expect(g.m.status?.how).toBe('exit');
  const vx = g.m.vmx, v = vx.current!;
  const rd = (f: keyof typeof VMCS) => v.read(VMCS[f]);
  const wr = (f: keyof typeof VMCS, val: bigint | number) => { const r = vx.vmwrite(VMCS[f], BigInt(val)); expect(r.ok).toBe(true); };
  return { g, vx, v, rd, wr, c: g.m.cpu };
}

function expectFailValid(s: ReturnType<typeof stopped>, r: { ok: boolean }, n: number) {
  expect(r).toMatchObject({ ok: false, error: n });
  expect(s.rd('VM_INSTRUCTION_ERROR')).toBe(BigInt(n));
  expect([s.c.zf, s.c.cf]).toEqual([1, 0]);
  expect(s.vx.nonRoot).toBe(false);
  expect(ofType(s.g.events, 'vmfail').at(-1)).toMatchObject({ error: n });
}

describe('VMLAUNCH / VMRESUME launch state', () => {
  it('VMLAUNCH of a launched VMCS → VMfailValid(4)', () => {
    const s = stopped();
    expectFailValid(s, s.vx.vmlaunch(), 4);
  });
  it('VMRESUME of a clear VMCS → VMfailValid(5); VMLAUNCH then succeeds', () => {
    const s = stopped();
    s.vx.vmclear(s.v); s.vx.vmptrld(s.v);
    expectFailValid(s, s.vx.vmresume(), 5);
    expect(s.vx.vmlaunch()).toEqual({ ok: true });
    expect(s.vx.nonRoot).toBe(true);
    expect(s.v.launched).toBe(true);
  });
  it('with no current VMCS: VMfailInvalid (CF = 1, ZF = 0)', () => {
    const s = stopped();
    s.vx.vmclear(s.v);
    expect(s.vx.current).toBeNull();
    expect(s.vx.vmresume().ok).toBe(false);
    expect([s.c.cf, s.c.zf]).toEqual([1, 0]);
  });
  it('VMRESUME of the launched VMCS re-enters the guest at GUEST_RIP', () => {
    const s = stopped();
    const rip = Number(s.rd('GUEST_RIP'));
    expect(s.vx.vmresume()).toEqual({ ok: true });
    expect(s.vx.nonRoot).toBe(true);
    expect(s.c.rip).toBe(rip);
    expect(ofType(s.g.events, 'vmentry').map((e) => e.kind)).toEqual(['launch', 'resume']);
  });
});

describe('checks on VMX controls → VMfailValid(7)', () => {
  const eptp = (s: ReturnType<typeof stopped>) => Number(s.rd('EPT_POINTER'));
  it('EPTP memory type other than UC (0) or WB (6)', () => {
    for (const mt of [1, 2, 4, 5, 7]) {
      const s = stopped();
      s.wr('EPT_POINTER', (eptp(s) & ~7) | mt);
      expectFailValid(s, s.vx.vmresume(), 7);
    }
    const s = stopped();
    s.wr('EPT_POINTER', eptp(s) & ~7); // UC is valid
    expect(s.vx.vmresume().ok).toBe(true);
  });
  it('EPTP page-walk length other than 4 (bits 5:3 = 3)', () => {
    for (const pwl of [0, 2, 4, 7]) {
      const s = stopped();
      s.wr('EPT_POINTER', (eptp(s) & ~0x38) | (pwl << 3));
      expectFailValid(s, s.vx.vmresume(), 7);
    }
  });
  it('EPTP reserved bits 11:8 set', () => {
    const s = stopped();
    s.wr('EPT_POINTER', eptp(s) | 0x100);
    expectFailValid(s, s.vx.vmresume(), 7);
  });
  it('"enable VPID" with VPID 0000H', () => {
    const s = stopped();
    s.wr('VIRTUAL_PROCESSOR_ID', 0);
    expectFailValid(s, s.vx.vmresume(), 7);
  });
  it('"unrestricted guest" without "enable EPT"', () => {
    const s = stopped();
    s.wr('SECONDARY_VM_EXEC_CONTROL', PROC2.UNRESTRICTED_GUEST | PROC2.ENABLE_VPID);
    expectFailValid(s, s.vx.vmresume(), 7);
  });
  it('MSR-bitmap address not 4-KByte aligned', () => {
    const s = stopped();
    s.wr('MSR_BITMAP', s.rd('MSR_BITMAP') + 8n);
    expectFailValid(s, s.vx.vmresume(), 7);
  });
});

describe('checks on host state → VMfailValid(8)', () => {
  it('host CR0 without PG or PE', () => {
    for (const bit of [CR0.PG, CR0.PE]) {
      const s = stopped();
      s.wr('HOST_CR0', Number(s.rd('HOST_CR0')) & ~bit);
      expectFailValid(s, s.vx.vmresume(), 8);
    }
  });
  it('host CR4 without VMXE or PAE', () => {
    for (const bit of [CR4.VMXE, CR4.PAE]) {
      const s = stopped();
      s.wr('HOST_CR4', Number(s.rd('HOST_CR4')) & ~bit);
      expectFailValid(s, s.vx.vmresume(), 8);
    }
  });
  it('"host address-space size" = 0 on a 64-bit host', () => {
    const s = stopped();
    s.wr('VM_EXIT_CONTROLS', Number(s.rd('VM_EXIT_CONTROLS')) & ~EXIT_CTL.HOST_ADDR_SPACE_SIZE);
    expectFailValid(s, s.vx.vmresume(), 8);
  });
  it('controls are checked before host state (7 wins over 8)', () => {
    const s = stopped();
    s.wr('VIRTUAL_PROCESSOR_ID', 0);
    s.wr('HOST_CR0', 0);
    expectFailValid(s, s.vx.vmresume(), 7);
  });
});

describe('checks on guest state → VM-entry failure (exit reason 33, bit 31)', () => {
  const cases: [string, (s: ReturnType<typeof stopped>) => void][] = [
    ['guest CR4.VMXE = 0', (s) => s.wr('GUEST_CR4', Number(s.rd('GUEST_CR4')) & ~CR4.VMXE)],
    ['guest CR0.PG = 0', (s) => s.wr('GUEST_CR0', Number(s.rd('GUEST_CR0')) & ~CR0.PG)],
    ['VMCS link pointer not FFFFFFFF_FFFFFFFFH', (s) => s.wr('VMCS_LINK_POINTER', 0)],
    ['"IA-32e mode guest" = 1 with EFER.LMA = 0', (s) => s.wr('GUEST_IA32_EFER', EFER.LME | EFER.SCE)],
    ['"IA-32e mode guest" = 0 with EFER.LMA = 1', (s) => s.wr('VM_ENTRY_CONTROLS', Number(s.rd('VM_ENTRY_CONTROLS')) & ~ENTRY_CTL.IA32E_MODE)],
    ['RFLAGS bit 1 = 0', (s) => s.wr('GUEST_RFLAGS', 0)],
    ['non-canonical guest RIP', (s) => s.wr('GUEST_RIP', 0x0000800000000000n)],
  ];
  for (const [name, bad] of cases) {
    it(name, () => {
      const s = stopped();
      bad(s);
      const r = s.vx.vmresume();
      expect(r).toMatchObject({ ok: false, error: 33 });
      expect(s.rd('VM_EXIT_REASON')).toBe(0x80000021n);
      expect(s.vx.nonRoot).toBe(false);
      expect(ofType(s.g.events, 'vmexit').at(-1)).toMatchObject({ reason: 33, entryFailure: true });
      expect(ofType(s.g.events, 'vmentry')).toHaveLength(1); // only the harness's VMLAUNCH
    });
  }
});

describe('VMWRITE', () => {
  it('to a read-only VM-exit information field → VMfailValid(13), field unchanged', () => {
    const s = stopped();
    for (const f of ['VM_EXIT_REASON', 'EXIT_QUALIFICATION', 'GUEST_PHYSICAL_ADDRESS', 'VM_EXIT_INSTRUCTION_LEN'] as const) {
      const before = s.rd(f);
      expectFailValid(s, s.vx.vmwrite(VMCS[f], 0x1234n), 13);
      expect(s.rd(f)).toBe(before);
    }
  });
  it('to an unsupported component → VMfailValid(12)', () => {
    const s = stopped();
    expectFailValid(s, s.vx.vmwrite(0x7ffe, 1n), 12);
  });
  it('truncates to the field width (16-bit VPID)', () => {
    const s = stopped();
    s.wr('VIRTUAL_PROCESSOR_ID', 0x12345);
    expect(s.rd('VIRTUAL_PROCESSOR_ID')).toBe(0x2345n);
  });
});
