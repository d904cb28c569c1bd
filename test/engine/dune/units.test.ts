// Unit tests of the Dune module's pieces, without running a guest (each test boots a machine and
// spawns a process, which takes milliseconds): the guest-physical windows (layout.ts), the VMCS
// the module writes (vmcs.ts), the EPT fill and the MMU notifier (eptfault.ts). The expected
// values are written out by hand from the SDM's bit positions and the paper's layout, so that a
// wrong constant or a wrong comparison in the module shows (mutation testing, docs/testing.md).

import { describe, it, expect, vi } from 'vitest';
import { asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { hvaToGpa, gpaToHva, DUNE_LAYOUT, GPA_MAP, GPA_STACK, WINDOW } from '../../../src/engine/kernel/dune/layout.ts';
import { setupVmcs } from '../../../src/engine/kernel/dune/vmcs.ts';
import { eptFault, eptInvalidateRange } from '../../../src/engine/kernel/dune/eptfault.ts';
import { englishReport, type ReportMsg } from '../../../src/engine/report.ts';
import { eptEntryAddr, eptLookup, eptMap } from '../../../src/engine/ept/ept.ts';
import { lookup, mapPage } from '../../../src/engine/kernel/pgtable.ts';
import { VMCS } from '../../../src/engine/arch/vmx.ts';
import { MSR, SEL } from '../../../src/engine/arch/x86.ts';
import type { Knobs } from '../../../src/engine/mmu/mmu.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';

const G = 2 ** 32;
/** eptFault's refusal in the report's English (null: the page was filled). */
const refusal = (r: ReportMsg | null) => r && englishReport(r);

describe('the guest-physical windows (hva_to_gpa, gpa_to_hva)', () => {
  it('struct dune_layout: phys_limit 12 GiB, base_map 4 GiB below MMAP_TOP, base_stack the stack’s 4 GiB window', () => {
    expect(WINDOW).toBe(0x1_0000_0000);
    expect(DUNE_LAYOUT).toEqual({ physLimit: 0x3_0000_0000, baseMap: 0x7eff_0000_0000, baseStack: 0x7fff_0000_0000 });
    expect([GPA_MAP, GPA_STACK]).toEqual([0x1_0000_0000, 0x2_0000_0000]);
  });

  it('hva_to_gpa maps each window and nothing between them, at both edges', () => {
    const cases: [number, number | null][] = [
      [0, 0], [0x401234, 0x401234], [0xffff_ffff, 0xffff_ffff], [0x1_0000_0000, null],
      [-1, null], [0x7eff_0000_0000 - 1, null],
      [0x7eff_0000_0000, 0x1_0000_0000], [0x7eff_0000_1234, 0x1_0000_1234], [0x7eff_ffff_ffff, 0x1_ffff_ffff],
      [0x7f00_0000_0000, null], [0x7ffe_ffff_ffff, null],
      [0x7fff_0000_0000, 0x2_0000_0000], [0x7fff_ffff_e000, 0x2_ffff_e000], [0x7fff_ffff_ffff, 0x2_ffff_ffff],
      [0x8000_0000_0000, null],
    ];
    for (const [hva, gpa] of cases) expect([hva, hvaToGpa(hva)]).toEqual([hva, gpa]);
  });

  it('gpa_to_hva inverts it up to phys_limit and refuses beyond', () => {
    const cases: [number, number | null][] = [
      [-1, null], [0, 0], [0x400000, 0x400000], [0xffff_ffff, 0xffff_ffff],
      [0x1_0000_0000, 0x7eff_0000_0000], [0x1_0000_2000, 0x7eff_0000_2000], [0x1_ffff_ffff, 0x7eff_ffff_ffff],
      [0x2_0000_0000, 0x7fff_0000_0000], [0x2_ffff_f000, 0x7fff_ffff_f000], [0x2_ffff_ffff, 0x7fff_ffff_ffff],
      [0x3_0000_0000, null], [0x4_0000_0000, null],
    ];
    for (const [gpa, hva] of cases) expect([gpa, gpaToHva(gpa)]).toEqual([gpa, hva]);
  });
});

/** A booted machine with the Dune module and one spawned process (not run): .data has two pages. */
function boot(knobs: Partial<Knobs> = {}, memBytes?: number) {
  const sink = new ArraySink();
  const s = new Session(asm('.data\n.align 4096\nbuf: .zero 8192\n.text\n_start:\n    mov rdi, 0\n    call exit\n'), { knobs, sink, memBytes });
  const events: TraceEvent[] = sink.events;
  const buf = Number(s.program.symbols.get('buf'));
  // In the DUNE_ENTER ioctl: ring 0, kernel segments.
  s.machine.cpu.cs = SEL.KERNEL_CS; s.machine.cpu.ss = SEL.KERNEL_DS;
  return { s, m: s.machine, k: s.kernel, buf, events };
}

const CFG = { rip: 0x401000n, rsp: 0x7fffffffe000n, cr3: 0x123000n, rflags: 0x202n };

describe('the VMCS the module writes (vmx_setup_vmcs, vmx_setup_initial_guest_state)', () => {
  it('controls, masks, guest state and host state, field by field', () => {
    const { m, k } = boot({ vpid: true, eptAd: false });
    m.cpu.msr.set(MSR.IA32_FS_BASE, 0x7000_1000n);
    m.cpu.msr.set(MSR.IA32_GS_BASE, 0x7000_2000n);
    const v = setupVmcs(k, CFG, 7, 0x5000);
    const r = (f: keyof typeof VMCS) => m.vmx.vmread(VMCS[f]);
    // PIN: external-interrupt exiting (bit 0), NMI exiting (bit 3).
    expect(r('PIN_BASED_VM_EXEC_CONTROL')).toBe(0x9n);
    // Bits 3 (TSC offsetting), 7 (HLT), 19, 20 (CR8 load/store), 23 (MOV DR), 28 (MSR bitmaps), 31 (secondary).
    expect(r('CPU_BASED_VM_EXEC_CONTROL')).toBe(0x9098_0088n);
    // Bits 1 (EPT), 3 (RDTSCP), 5 (VPID), 12 (INVPCID).
    expect(r('SECONDARY_VM_EXEC_CONTROL')).toBe(0x102an);
    expect(r('VIRTUAL_PROCESSOR_ID')).toBe(7n);
    expect(v.eptp).toBe(v.eptRoot + 0x1e); // WB (6), walk length 4 - 1 in bits 5:3, no A/D
    expect(r('EPT_POINTER')).toBe(BigInt(v.eptRoot + 0x1e));
    expect(r('MSR_BITMAP')).toBe(0x5000n);
    expect(r('TSC_OFFSET')).toBe(0n);
    expect(r('EXCEPTION_BITMAP')).toBe(0xan); // #DB (1) and #BP (3)
    expect(r('PAGE_FAULT_ERROR_CODE_MASK')).toBe(0n);
    expect(r('PAGE_FAULT_ERROR_CODE_MATCH')).toBe(0n);
    expect(r('CR3_TARGET_COUNT')).toBe(0n);
    expect(r('CR0_GUEST_HOST_MASK')).toBe(0xffff_ffff_ffff_ffffn);
    expect(r('CR4_GUEST_HOST_MASK')).toBe(0xffff_ffff_ffff_ffffn);
    // CR0: PG | WP | NE | ET | MP | PE; CR4: PCIDE | VMXE | OSXMMEXCPT | OSFXSR | PGE | PAE.
    expect(r('CR0_READ_SHADOW')).toBe(0x8001_0033n);
    expect(r('CR4_READ_SHADOW')).toBe(0x2_26a0n);
    expect(r('GUEST_CR0')).toBe(0x8001_0033n);
    expect(r('GUEST_CR4')).toBe(0x2_26a0n);
    expect(r('VM_EXIT_CONTROLS')).toBe(0x8200n); // host address-space size (9), acknowledge interrupt (15)
    expect(r('VM_ENTRY_CONTROLS')).toBe(0x200n); // IA-32e mode guest (9)
    expect(r('VMCS_LINK_POINTER')).toBe(0xffff_ffff_ffff_ffffn);
    expect(r('GUEST_CR3')).toBe(0x123000n);
    expect(r('GUEST_IA32_EFER')).toBe(0x4d01n); // FFXSR | NXE | LMA | LME | SCE
    expect([r('GUEST_CS_SELECTOR'), r('GUEST_SS_SELECTOR')]).toEqual([0x10n, 0x18n]);
    expect([r('GUEST_RIP'), r('GUEST_RSP'), r('GUEST_RFLAGS')]).toEqual([0x401000n, 0x7fffffffe000n, 0x202n]);
    expect([r('GUEST_FS_BASE'), r('GUEST_GS_BASE')]).toEqual([0x7000_1000n, 0n]);
    expect([r('GUEST_IDTR_BASE'), r('GUEST_IDTR_LIMIT'), r('GUEST_GDTR_BASE'), r('GUEST_ACTIVITY_STATE')]).toEqual([0n, 0n, 0n, 0n]);
    expect([r('HOST_CR0'), r('HOST_CR3'), r('HOST_CR4')]).toEqual([BigInt(m.cpu.cr0), BigInt(m.cpu.cr3), BigInt(m.cpu.cr4)]);
    expect([r('HOST_CS_SELECTOR'), r('HOST_SS_SELECTOR'), r('HOST_TR_SELECTOR')]).toEqual([0x10n, 0x18n, 0x40n]);
    expect(r('HOST_TR_BASE')).toBe(0xffff_ffff_8200_2000n);
    expect(r('HOST_GDTR_BASE')).toBe(0xffff_ffff_8200_1000n);
    expect(r('HOST_IDTR_BASE')).toBe(0xffff_ffff_8200_0000n);
    expect(r('HOST_RIP')).toBe(0xffff_ffff_8100_0280n); // kernel text + slot 40 * 16
    expect(r('HOST_RSP')).toBe(BigInt(k.proc.kstackTop) | 0xffff_0000_0000_0000n);
    expect([r('HOST_FS_BASE'), r('HOST_GS_BASE')]).toEqual([0x7000_1000n, 0x7000_2000n]);
    expect(v).toMatchObject({ vpid: 7, regs: null, cfg: 0, linux: null });
    expect(m.vmx.regions.get(v.vmcs)).toBe(m.vmx.current);
  });

  it('RFLAGS gets its fixed bit 1; VPID off leaves "enable VPID" clear and VPID 0; EPT A/D sets EPTP bit 6', () => {
    const { m, k } = boot({ vpid: false, eptAd: true });
    const v = setupVmcs(k, { ...CFG, rflags: 0x200n }, 3, 0x5000);
    expect(m.vmx.vmread(VMCS.GUEST_RFLAGS)).toBe(0x202n);
    expect(m.vmx.vmread(VMCS.SECONDARY_VM_EXEC_CONTROL)).toBe(0x100an);
    expect(m.vmx.vmread(VMCS.VIRTUAL_PROCESSOR_ID)).toBe(0n);
    expect(v.eptp).toBe(v.eptRoot + 0x5e);
  });

  it('a VMWRITE that fails (VMfailValid) stops the set-up with its message', () => {
    const { m, k } = boot();
    vi.spyOn(m.vmx, 'vmwrite').mockReturnValueOnce({ ok: true }).mockReturnValueOnce({ ok: false, error: 13, check: 'vmwrite-read-only', arg: '0x6c00', message: 'VMWRITE to a read-only field' });
    expect(() => setupVmcs(k, CFG, 1, 0x5000)).toThrow('dune: VMWRITE to a read-only field');
  });
});

/** The EPT leaf's permission bits (R, W, X) and its host-physical address. */
function leaf(m: ReturnType<typeof boot>['m'], root: number, gpa: number) {
  const e = eptLookup(m.mem, root, gpa);
  return e && { rwx: e.lo & 7, hpa: (e.hi & 0xfffff) * G + ((e.lo & 0xfffff000) >>> 0) };
}

describe('vmx_do_ept_fault: filling the EPT from the host page tables', () => {
  it('a GPA at or beyond phys_limit is refused, and the fault is still charged', () => {
    const { m, k } = boot();
    const v = setupVmcs(k, CFG, 1, 0x5000);
    const before = m.cycles;
    expect(refusal(eptFault(k, v, 0x3_0000_0000, false))).toBe('GPA 0x300000000 is beyond phys_limit (the three 4 GiB windows)');
    expect(m.cycles - before).toBe(m.costs.dune.eptFault);
  });

  it('a GPA with no host mapping behind it: get_user_pages fails, saying whether for writing', () => {
    const { k } = boot();
    const v = setupVmcs(k, CFG, 1, 0x5000);
    expect(refusal(eptFault(k, v, 0x1000_0123, false))).toBe('ept: failed to get user page 0x10000000 (no such mapping in the process)');
    expect(refusal(eptFault(k, v, 0x1000_0123, true))).toBe('ept: failed to get user page 0x10000000 for writing (no such mapping in the process)');
    expect(refusal(eptFault(k, v, 0x400000, true))).toMatch(/^ept: failed to get user page 0x400000 for writing/); // text is read-only
  });

  it('a read fault maps R-X, a write fault RWX, and a later read fault keeps W for the same frame', () => {
    const { m, k, buf, events } = boot({ eptAd: false });
    const v = setupVmcs(k, CFG, 1, 0x5000);
    expect(eptFault(k, v, buf + 8, false)).toBeNull();
    const f0 = lookup(m.mem, k.proc.root, buf)![0] & 0xfffff000;
    expect(leaf(m, v.eptRoot, buf)).toEqual({ rwx: 5, hpa: f0 });
    expect(eptFault(k, v, buf + 4096 + 8, true)).toBeNull();
    const f1 = lookup(m.mem, k.proc.root, buf + 4096)![0] & 0xfffff000;
    expect(leaf(m, v.eptRoot, buf + 4096)).toEqual({ rwx: 7, hpa: f1 });
    // An EPT entry already writable for the same host frame: a read fault (e.g. after INVEPT) keeps W.
    expect(eptFault(k, v, buf + 4096, false)).toBeNull();
    expect(leaf(m, v.eptRoot, buf + 4096)).toEqual({ rwx: 7, hpa: f1 });
    // Not writable before: a read fault leaves it R-X.
    expect(eptFault(k, v, buf, false)).toBeNull();
    expect(leaf(m, v.eptRoot, buf)).toEqual({ rwx: 5, hpa: f0 });
    const fills = events.filter((e) => e.type === 'kernel' && e.fn === 'vmx_do_ept_fault').map((e) => (e as { detail: string }).detail);
    expect(fills[1]).toBe(`GPA ${'0x' + (buf + 4096).toString(16)} (HVA ${'0x' + (buf + 4096).toString(16)}) -> HPA ${'0x' + f1.toString(16)}: EPT entry RWX, WB`);
    expect(fills[3]).toMatch(/: EPT entry RX, WB$/);
  });

  it('a read fault drops W when the host frame changed behind a writable EPT entry', () => {
    const { m, k, buf } = boot({ eptAd: false });
    const v = setupVmcs(k, CFG, 1, 0x5000);
    expect(eptFault(k, v, buf, true)).toBeNull();
    const moved = m.mem.alloc();
    mapPage(m.mem, k.proc.root, buf, moved, { w: true, u: true, x: false, g: false });
    expect(eptFault(k, v, buf, false)).toBeNull();
    expect(leaf(m, v.eptRoot, buf)).toEqual({ rwx: 5, hpa: moved * 4096 });
  });

  it('host frames above 4 GiB: the EPT entry gets the full host-physical address (PTE bits 51:32)', () => {
    const { m, k, buf } = boot({ eptAd: false });
    const v = setupVmcs(k, CFG, 1, 0x5000);
    // A host PTE naming frame 0x100003 (HPA 0x1_0000_3000), as on a machine with more than 4 GiB.
    mapPage(m.mem, k.proc.root, buf, 0x100003, { w: true, u: true, x: false, g: false });
    expect(eptFault(k, v, buf, true)).toBeNull();
    expect(leaf(m, v.eptRoot, buf)).toEqual({ rwx: 7, hpa: 0x1_0000_3000 });
    // The W kept by a read fault compares the full address too.
    expect(eptFault(k, v, buf, false)).toBeNull();
    expect(leaf(m, v.eptRoot, buf)).toEqual({ rwx: 7, hpa: 0x1_0000_3000 });
    mapPage(m.mem, k.proc.root, buf, 0x200003, { w: true, u: true, x: false, g: false });
    expect(eptFault(k, v, buf, false)).toBeNull();
    expect(leaf(m, v.eptRoot, buf)).toEqual({ rwx: 5, hpa: 0x2_0000_3000 });
  });

  it('with EPT A/D on, A is premarked on every fill and D on a write fill', () => {
    const { m, k, buf, events } = boot({ eptAd: true });
    const v = setupVmcs(k, CFG, 1, 0x5000);
    eptFault(k, v, buf, false);
    eptFault(k, v, buf + 4096, true);
    const bits = (gpa: number) => eptLookup(m.mem, v.eptRoot, gpa)!.lo & 0x300;
    expect([bits(buf), bits(buf + 4096)]).toEqual([0x100, 0x300]);
    const fills = events.filter((e) => e.type === 'kernel' && e.fn === 'vmx_do_ept_fault').map((e) => (e as { detail: string }).detail);
    expect(fills.map((d) => d.replace(/^.*: /, ''))).toEqual(['EPT entry RX, WB, A premarked', 'EPT entry RWX, WB, A D premarked']);
  });
});

describe('the MMU notifier: clearing EPT entries behind a changed host range, then INVEPT', () => {
  const perm = { r: true, w: true, x: true, a: false, d: false };
  function setup(memBytes?: number) {
    const b = boot({}, memBytes);
    const v = setupVmcs(b.k, CFG, 1, 0x5000);
    const invept = vi.spyOn(b.m.vmx, 'invept');
    const map = (gpa: number) => eptMap(b.m.mem, v.eptRoot, gpa, 0x7000, perm);
    const present = (gpa: number) => eptLookup(b.m.mem, v.eptRoot, gpa) !== null;
    const notes = () => b.events.filter((e) => e.type === 'kernel' && e.fn === 'mmu_notifier_invalidate_range').map((e) => (e as { detail: string }).detail);
    return { ...b, v, invept, map, present, notes };
  }

  it('clears the pages the range touches, from a start inside a page, and only those', () => {
    const { k, v, invept, map, present, notes } = setup();
    for (const g of [0x1ff000, 0x200000, 0x201000, 0x202000]) map(g);
    eptInvalidateRange(k, v, 0x200010, 0x1ff0, 'munmap'); // [0x200010, 0x202000): pages 0x200000 and 0x201000
    expect([0x1ff000, 0x200000, 0x201000, 0x202000].map(present)).toEqual([true, false, false, true]);
    expect(notes()).toEqual(['munmap: 2 EPT entries cleared for 0x200010+0x1ff0']);
    expect(invept).toHaveBeenCalledTimes(1);
    expect(invept).toHaveBeenCalledWith(1, v.eptp); // single-context
  });

  it('a start in the second half of a page still clears that page', () => {
    const { k, v, map, present } = setup();
    for (const g of [0x200000, 0x201000, 0x202000]) map(g);
    eptInvalidateRange(k, v, 0x200ff0, 0x20, 'x'); // [0x200ff0, 0x201010): pages 0x200000 and 0x201000
    expect([0x200000, 0x201000, 0x202000].map(present)).toEqual([false, false, true]);
  });

  it('host-physical addresses above 4 GiB: both halves of a cleared leaf are zeroed, tables are found by both halves', () => {
    const { m, k, v, present, notes } = setup(12 * 2 ** 30);
    const mem = m.mem;
    // Leaves naming frames above 4 GiB (high word 1): the neighbours outside the range keep theirs.
    for (const g of [0x1ff000, 0x200000, 0x201000]) eptMap(mem, v.eptRoot, g, 0x1_0000_7000, perm);
    eptInvalidateRange(k, v, 0x200000, 0x1000, 'x');
    const pte = (g: number) => eptEntryAddr(mem, v.eptRoot, g, 1, false)!;
    expect([mem.read32(pte(0x200000)), mem.read32(pte(0x200000) + 4)]).toEqual([0, 0]);
    expect([0x1ff000, 0x201000].map((g) => leaf(m, v.eptRoot, g)!.hpa)).toEqual([0x1_0000_7000, 0x1_0000_7000]);
    // Page tables above 4 GiB, written by hand: PD entry 0 -> a PT at 0x2_0000_0000, entry 1 -> one at 0x1_0000_1000.
    const pd = eptEntryAddr(mem, v.eptRoot, 0, 2, false)!;
    mem.write32(pd, 0x7); mem.write32(pd + 4, 2);
    mem.write32(pd + 8, 0x1007); mem.write32(pd + 12, 1);
    mem.write32(0x2_0000_0000 + 511 * 8, 0x7007);
    mem.write32(0x1_0000_1000, 0x8007);
    expect([present(0x1ff000), present(0x200000)]).toEqual([true, true]);
    eptInvalidateRange(k, v, 0x1ff000, 0x2000, 'y');
    expect([mem.read32(0x2_0000_0000 + 511 * 8), mem.read32(0x1_0000_1000)]).toEqual([0, 0]);
    expect(notes()[1]).toBe('y: 2 EPT entries cleared for 0x1ff000+0x2000');
  });

  it('a 2 MiB EPT page is not walked as a table: its data stays as it is', () => {
    const { m, k, v, invept, notes } = setup();
    const frame = m.mem.alloc() * 4096;
    for (let i = 0; i < 512; i++) m.mem.write32(frame + i * 8, 0x5007); // data that looks like present entries
    eptMap(m.mem, v.eptRoot, 0x40_0000, frame, perm, true);
    eptInvalidateRange(k, v, 0x40_0000, 0x1000, 'x');
    expect(m.mem.read32(frame)).toBe(0x5007);
    expect(notes()).toEqual([]);
    expect(invept).not.toHaveBeenCalled();
  });

  it('a range across 2 MiB and 1 GiB boundaries; one entry says "entry"', () => {
    const { k, v, map, present, notes } = setup();
    for (const g of [0x3fff_f000, 0x4000_0000, 0x4000_1000]) map(g);
    eptInvalidateRange(k, v, 0x3fff_f000, 0x2000, 'a');
    expect([0x3fff_f000, 0x4000_0000, 0x4000_1000].map(present)).toEqual([false, false, true]);
    eptInvalidateRange(k, v, 0x4000_1000, 1, 'b');
    expect(present(0x4000_1000)).toBe(false);
    expect(notes()).toEqual(['a: 2 EPT entries cleared for 0x3ffff000+0x2000', 'b: 1 EPT entry cleared for 0x40001000+0x1']);
  });

  it('the mmap and stack windows map to GPA 4 GiB and 8 GiB', () => {
    const { k, v, map, present, notes } = setup();
    for (const g of [0x1_0000_5000, 0x1_0000_6000, 0x2_ffff_e000, 0x5000]) map(g);
    eptInvalidateRange(k, v, 0x7eff_0000_5000, 0x1000, 'mmap');
    expect([0x1_0000_5000, 0x1_0000_6000, 0x5000].map(present)).toEqual([false, true, true]);
    eptInvalidateRange(k, v, 0x7fff_ffff_e000, 0x1000, 'stack');
    expect(present(0x2_ffff_e000)).toBe(false);
    expect(notes()).toEqual(['mmap: 1 EPT entry cleared for 0x7eff00005000+0x1000', 'stack: 1 EPT entry cleared for 0x7fffffffe000+0x1000']);
  });

  it('a range that spans the end of a window clears up to the window end only', () => {
    const { k, v, map, present } = setup();
    for (const g of [0xffff_f000, 0x1_0000_0000]) map(g);
    // [0xffff_f000, 0x1_0000_1000) in host-virtual space: only the low window's last page has a GPA.
    eptInvalidateRange(k, v, 0xffff_f000, 0x2000, 'x');
    expect([0xffff_f000, 0x1_0000_0000].map(present)).toEqual([false, true]);
  });

  it('nothing mapped in the range: no event and no INVEPT; a 2 MiB EPT page is not a 4 KiB leaf', () => {
    const { m, k, v, invept, notes } = setup();
    eptMap(m.mem, v.eptRoot, 0x60_0000, 0x80_0000, perm, true);
    eptInvalidateRange(k, v, 0x40_0000, 0x40_0000, 'none');
    eptInvalidateRange(k, v, 0x1_0000_0000, 0x1000, 'none'); // outside every window
    expect(notes()).toEqual([]);
    expect(invept).not.toHaveBeenCalled();
    expect(eptLookup(m.mem, v.eptRoot, 0x60_0000)).toMatchObject({ level: 2 });
  });
});
