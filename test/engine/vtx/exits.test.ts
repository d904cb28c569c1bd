// SDM oracle for the VM exits the model produces (vtx-facts §1): reason, qualification,
// instruction length, interruption information, which controls make them conditional, and the
// guest state saved / host state loaded at every exit.

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType, type Guest, type ExitRec, type GuestOpts } from '../harness.ts';
import { gate, idt, gread, gsym, vmcs } from '../cpu/util.ts';
import { VMCS } from '../../../src/engine/arch/vmx.ts';
import { CR0, CR4, MSR } from '../../../src/engine/arch/x86.ts';
import { eptSetRaw } from '../../../src/engine/ept/ept.ts';
import { RAX, RSP } from '../../../src/engine/asm/ir.ts';

const EXIT = '  mov rax, 60\n  xor edi, edi\n  vmcall\n';
const len = (g: Guest, label: string) => g.prog.instrs.find((i) => i.addr === gsym(g, label))!.len;

/** Resume after these reasons (the harness steps RIP over instruction exits); stop on others. */
function guest(src: string, resume: number[], o: GuestOpts = {}, onFirstVmcall?: (g: Guest) => void) {
  let first = true;
  return makeGuest(src, {
    ...o,
    onExit: (g, e) => {
      if (e.reason === 18 && first && onFirstVmcall) { first = false; onFirstVmcall(g); return 'resume'; }
      if (e.reason === 18) return g.m.cpu.lo[RAX] === 60 ? 'stop' : 'resume';
      return resume.includes(e.reason) ? 'resume' : 'stop';
    },
  });
}
const wr = (g: Guest, f: keyof typeof VMCS, v: number | bigint) => { const r = g.m.vmx.vmwrite(VMCS[f], BigInt(v)); if (!r.ok) throw new Error(r.message); };

describe('EXCEPTION_NMI (0) through the exception bitmap', () => {
  it('#BP with bitmap bit 3: software exception, length 1, RIP at the INT3', () => {
    const g = makeGuest(`_start:\nb3:\n  int3\n${EXIT}`, { excBitmap: 1 << 3 });
    g.run();
    expect(g.exits).toHaveLength(1);
    expect(g.exits[0]).toMatchObject({ reason: 0, name: 'EXCEPTION_NMI', len: 1, rip: gsym(g, 'b3'), qual: 0 });
    // vector 3, type 6 (software exception), no error code, valid.
    expect(g.exits[0].intrInfo).toBe(0x80000603);
    expect(ofType(g.events, 'exception')[0]).toMatchObject({ vector: 3, to: 'vmexit' });
  });
  it('#UD with bitmap bit 6: hardware exception (type 3), length 0', () => {
    const g = makeGuest(`_start:\nu:\n  ud2\n`, { excBitmap: 1 << 6 });
    g.run();
    expect(g.exits[0]).toMatchObject({ reason: 0, intrInfo: 0x80000306, len: 0, rip: gsym(g, 'u') });
  });
  it('#GP with bitmap bit 13 carries an error code (bit 11 valid)', () => {
    const g = makeGuest(`_start:\n  mov rbx, 0x8000000000000000\ngp:\n  mov rax, [rbx]\n`, { excBitmap: 1 << 13 });
    g.run();
    expect(g.exits[0]).toMatchObject({ reason: 0, intrInfo: 0x80000b0d, rip: gsym(g, 'gp') });
    expect(vmcs(g, 'VM_EXIT_INTR_ERROR_CODE')).toBe(0n);
  });

  // #PF: exits iff ((PFEC & PFEC_MASK) == PFEC_MATCH) == bitmap[14].
  const PF = `_start:
  lidt [idtr]
  vmcall
  mov rbx, 0x10000000
rd:
  mov rax, [rbx]
wt:
  mov qword ptr [rbx], 1
done:
${EXIT}
h14:
  add rsp, 8
  inc qword ptr [guest_pf]
  mov rax, [rsp]
  lea rcx, [rip + rd]
  cmp rax, rcx
  jne not_rd
  lea rax, [rip + wt]
  mov [rsp], rax
  iretq
not_rd:
  lea rax, [rip + done]
  mov [rsp], rax
  iretq
${idt({ 14: gate('h14') }, 16)}
guest_pf: .quad 0
`;
  const pfGuest = (bit: boolean, mask: number, match: number) => {
    const g = guest(PF, [], { excBitmap: bit ? 1 << 14 : 0 }, (gg) => { wr(gg, 'PAGE_FAULT_ERROR_CODE_MASK', mask); wr(gg, 'PAGE_FAULT_ERROR_CODE_MATCH', match); });
    g.run();
    return g;
  };
  it('bit 14 = 1, mask = match = W: the write #PF exits, the read #PF goes to the guest IDT', () => {
    const g = pfGuest(true, 2, 2);
    expect(gread(g, gsym(g, 'guest_pf'))).toBe(1n);
    const e = g.exits.at(-1)!;
    expect(e).toMatchObject({ reason: 0, rip: gsym(g, 'wt'), intrInfo: 0x80000b0e, qual: 0x10000000 });
    expect(vmcs(g, 'VM_EXIT_INTR_ERROR_CODE')).toBe(2n);
  });
  it('bit 14 = 0, mask = match = W: the read #PF (no match) exits; CR2 is not written', () => {
    const g = pfGuest(false, 2, 2);
    expect(gread(g, gsym(g, 'guest_pf'))).toBe(0n);
    expect(g.exits.at(-1)).toMatchObject({ reason: 0, rip: gsym(g, 'rd'), qual: 0x10000000 });
    expect(vmcs(g, 'VM_EXIT_INTR_ERROR_CODE')).toBe(0n);
    expect(g.m.cpu.cr2).toBe(0);
  });
  it('bit 14 = 0, mask = 0, match = 0: every #PF matches, none exits', () => {
    const g = pfGuest(false, 0, 0);
    expect(gread(g, gsym(g, 'guest_pf'))).toBe(2n);
    expect(g.exits.map((e) => e.reason)).toEqual([18, 18]);
  });
});

describe('EXTERNAL_INTERRUPT (1)', () => {
  it('with IF = 1 an interrupt that arrives while the guest runs exits before the next instruction', () => {
    const g = makeGuest(`_start:\n  sti\n  cpuid\nnx:\n  nop\n${EXIT}`, {
      onExit: (gg, e) => { if (e.reason === 10) { gg.m.pendingIntr = 0x20; return 'resume'; } return 'stop'; },
    });
    g.run();
    expect(g.exits[1]).toMatchObject({ reason: 1, intrInfo: 0x80000020, len: 0, rip: gsym(g, 'nx') });
    expect(g.m.pendingIntr).toBe(-1);
  });
  it('with external-interrupt exiting, RFLAGS.IF = 0 does not block it (SDM pin-based controls)', () => {
    const g = makeGuest(`_start:\n  cli\n${EXIT}`);
    g.m.pendingIntr = 0x21;
    g.run();
    expect(g.exits[0]).toMatchObject({ reason: 1, intrInfo: 0x80000021, rip: gsym(g, '_start') });
  });
});

describe('instruction exits', () => {
  it('CPUID (10), length 2, always exits; the guest resumes after it', () => {
    const g = makeGuest(`_start:\ncp:\n  cpuid\n${EXIT}`);
    g.run();
    expect(g.exits.map((e) => [e.reason, e.len])).toEqual([[10, 2], [18, 3]]);
    expect(g.exits[0].rip).toBe(gsym(g, 'cp'));
    expect(g.m.status).toEqual({ code: 0, how: 'exit' });
  });
  it('HLT (12), length 1, only with HLT exiting', () => {
    const g = makeGuest(`_start:\nh:\n  hlt\n${EXIT}`, { hltExiting: true });
    g.run();
    expect(g.exits[0]).toMatchObject({ reason: 12, len: 1, rip: gsym(g, 'h') });
  });
  it('without HLT exiting the CPU halts in the guest until an interrupt (the host timer: exit 1)', () => {
    const g = makeGuest(`_start:\n  hlt\nafter:\n${EXIT}`);
    const before = g.m.cycles;
    g.run();
    expect(g.exits.map((e) => e.reason)).toEqual([1]);
    expect(g.exits[0].rip).toBe(gsym(g, 'after'));
    expect(g.m.cycles).toBeGreaterThanOrEqual(g.m.timerPeriod - before); // the halt lasted until the tick
  });
  it('INVLPG (14): qualification = the linear address, only with INVLPG exiting', () => {
    const src = `_start:\n  mov rbx, 0x123456789000\ni:\n  invlpg [rbx + 0x10]\n${EXIT}`;
    const g = makeGuest(src, { invlpgExiting: true });
    g.run();
    expect(g.exits[0]).toMatchObject({ reason: 14, qual: 0x123456789010, rip: gsym(g, 'i'), len: len(g, 'i') });
    const g2 = makeGuest(src);
    g2.run();
    expect(g2.exits.map((e) => e.reason)).toEqual([18]);
    expect(ofType(g2.events, 'tlb').some((e) => e.op === 'invlpg' && e.vpid === 1)).toBe(true);
  });
  it('VMCALL (18), length 3, at CPL 0 and at CPL 3', () => {
    for (const cpl of [0, 3] as const) {
      const g = makeGuest(`_start:\n  mov rax, 60\n  mov rdi, 7\nv:\n  vmcall\n`, { cpl });
      g.run();
      expect(g.exits).toEqual([expect.objectContaining({ reason: 18, len: 3, rip: gsym(g, 'v') })]);
      expect(ofType(g.events, 'vmexit')[0]).toMatchObject({ fromCpl: cpl });
      expect(g.m.status).toEqual({ code: 7, how: 'exit' });
    }
  });
  it('RDMSR (31) / WRMSR (32) outside the bitmap; a passthrough MSR (FS_BASE) does not exit', () => {
    const g = guest(`_start:
  mov ecx, 0xc0000081
r1:
  rdmsr
w1:
  wrmsr
  mov ecx, 0x40000000
r2:
  rdmsr
  mov ecx, 0xc0000100
  mov eax, 0x1234
  mov edx, 0x7
  wrmsr
  xor eax, eax
  xor edx, edx
  rdmsr
  mov [fs], rax
  mov [fs + 8], rdx
${EXIT}
.data
fs: .quad 0, 0
`, [31, 32], { msrPass: [MSR.IA32_FS_BASE] });
    g.run();
    expect(g.exits.map((e) => [e.reason, e.len, e.rip])).toEqual([
      [31, 2, gsym(g, 'r1')], [32, 2, gsym(g, 'w1')], [31, 2, gsym(g, 'r2')], [18, 3, expect.any(Number)]]);
    expect(gread(g, gsym(g, 'fs'))).toBe(0x1234n);
    expect(gread(g, gsym(g, 'fs') + 8)).toBe(7n);
    expect(g.m.cpu.msrGet(MSR.IA32_FS_BASE)).toBe(0n); // host FS base loaded at the exit
  });
});

describe('CR_ACCESS (28)', () => {
  const src = `_start:
  vmcall
  mov rax, cr0
  mov [cr0_read], rax
  mov cr0, rax
  mov rbx, rax
  mov rcx, 0x10000
  or rbx, rcx
w0:
  mov cr0, rbx
  mov rdx, rax
  xor rdx, 2
  mov cr0, rdx
  mov rax, cr0
  mov [cr0_after], rax
  mov r9, cr4
  mov rcx, 0x80
  xor r9, rcx
w4:
  mov cr4, r9
  mov r10, cr4
  mov rcx, 0x10000
  xor r10, rcx
  mov cr4, r10
  mov rax, cr4
  mov [cr4_after], rax
${EXIT}
.data
cr0_read: .quad 0
cr0_after: .quad 0
cr4_after: .quad 0
`;
  // Mask CR0.WP and CR4.PGE; the first VMCALL makes the CR0 shadow show WP = 0.
  const g = guest(src, [28], { cr0Mask: CR0.WP, cr4Mask: CR4.PGE }, (gg) => wr(gg, 'CR0_READ_SHADOW', Number(vmcs(gg, 'CR0_READ_SHADOW')) & ~CR0.WP));
  g.run();
  const cr = g.exits.filter((e) => e.reason === 28);
  it('MOV to CR0 changing a masked bit exits: CR 0, access type 0, GPR in bits 11:8', () => {
    expect(cr[0]).toMatchObject({ qual: 0 | (0 << 4) | (3 << 8), rip: gsym(g, 'w0'), len: len(g, 'w0') });
  });
  it('MOV to CR4 changing a masked bit exits with CR 4 and GPR 9 (r9)', () => {
    expect(cr[1]).toMatchObject({ qual: 4 | (9 << 8), rip: gsym(g, 'w4'), len: len(g, 'w4') });
    expect(len(g, 'w4')).toBe(4);
    expect(cr).toHaveLength(2);
  });
  it('MOV from CR0 reads the shadow for masked bits; writing the shadow value back does not exit', () => {
    const real = Number(vmcs(g, 'GUEST_CR0'));
    expect(real & CR0.WP).toBe(CR0.WP); // the host-owned bit kept its value
    expect(Number(gread(g, gsym(g, 'cr0_read'))) & CR0.WP).toBe(0);
  });
  it('changing an unmasked bit (CR0.MP, CR4 bit 16) takes effect without an exit', () => {
    const after = Number(gread(g, gsym(g, 'cr0_after')));
    expect(after & CR0.MP).toBe(0); // MP was 1 and was toggled
    expect(Number(vmcs(g, 'GUEST_CR0')) & CR0.MP).toBe(0);
    expect(Number(gread(g, gsym(g, 'cr4_after'))) & 0x10000).toBe(0x10000);
  });
});

describe('EPT_VIOLATION (48) and EPT_MISCONFIG (49), basic cases', () => {
  const src = `_start:\n  mov rbx, [x]\n${EXIT}.data\nx: .quad 5\n`;
  it('a read of a guest page missing from the EPT', () => {
    const probe = makeGuest(src);
    const dataPa = probe.gpaOf.get(probe.prog.data.base)!;
    const g = makeGuest(src, { eptHoles: (gpa) => gpa === dataPa });
    expect(g.gpaOf.get(g.prog.data.base)).toBe(dataPa); // same layout on a fresh machine
    g.run();
    const x = gsym(g, 'x');
    expect(g.exits[0]).toMatchObject({ reason: 48, gpa: dataPa + (x % 4096), gla: x, rip: gsym(g, '_start') });
    expect(g.exits[0].qual & 0x187).toBe(0x181); // data read, GLA valid, access to the final GPA
  });
  it('a write-only EPT leaf is a misconfiguration', () => {
    const g = makeGuest(src);
    const pa = g.gpaOf.get(g.prog.data.base)!;
    eptSetRaw(g.m.mem, g.eptRoot, pa, pa | 2 | (6 << 3));
    g.run();
    expect(g.exits[0]).toMatchObject({ reason: 49, gpa: pa + (gsym(g, 'x') % 4096) });
  });
});

describe('state saved and loaded at a VM exit', () => {
  const recs: { rip: number; rf: number; idtr: number; gdtr: number; cs: number; cr3: number; rsp: bigint }[] = [];
  const g = makeGuest(`_start:
  mov rsp, 0x7ffffffffe08
  mov rbx, 1
  cmp rbx, 2
v:
  vmcall
`, {
    onExit: (gg: Guest, _e: ExitRec) => {
      const c = gg.m.cpu;
      recs.push({ rip: c.rip, rf: c.rflags(), idtr: c.idtrLimit, gdtr: c.gdtrLimit, cs: c.cs, cr3: c.cr3, rsp: c.get(RSP) });
      return 'stop';
    },
  });
  g.run();
  it('guest RIP (the exiting instruction), RSP, RFLAGS and CR3 are saved in the VMCS', () => {
    expect(vmcs(g, 'GUEST_RIP')).toBe(BigInt(gsym(g, 'v')));
    expect(vmcs(g, 'GUEST_RSP')).toBe(0x7ffffffffe08n);
    expect(vmcs(g, 'GUEST_RFLAGS')).toBe(0x97n); // CF, PF, AF and SF from the cmp (1 - 2 = all ones), bit 1
    expect(vmcs(g, 'GUEST_CR3')).toBe(BigInt(g.gcr3));
    expect(vmcs(g, 'GUEST_CS_SELECTOR')).toBe(0x10n);
  });
  it('host state is loaded: RIP = HOST_RIP, RSP = HOST_RSP, RFLAGS = 2, IDTR/GDTR limits 0xFFFF', () => {
    const r = recs[0];
    expect(BigInt(r.rip)).toBe(vmcs(g, 'HOST_RIP') & 0xffffffffffffn);
    expect(r.rsp).toBe(vmcs(g, 'HOST_RSP'));
    expect(r.rf).toBe(2);
    expect([r.idtr, r.gdtr]).toEqual([0xffff, 0xffff]);
    expect(r.cs).toBe(Number(vmcs(g, 'HOST_CS_SELECTOR')));
    expect(r.cr3).toBe(Number(vmcs(g, 'HOST_CR3')));
    expect(g.m.vmx.nonRoot).toBe(false);
  });
  it('the exit is one vmexit event with reason, qualification and length', () => {
    expect(ofType(g.events, 'vmexit')).toEqual([expect.objectContaining({ reason: 18, name: 'VMCALL', qualification: '0x0', instrLen: 3, rip: '0x' + gsym(g, 'v').toString(16) })]);
  });
});
