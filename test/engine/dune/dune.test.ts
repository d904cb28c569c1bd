import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';
import { JUMP_TO_USER } from '../libdune/snippets.ts';
import { lookup } from '../../../src/engine/kernel/pgtable.ts';
import { eptLookup } from '../../../src/engine/ept/ept.ts';
import { hvaToGpa } from '../../../src/engine/kernel/dune/layout.ts';
import type { Vcpu } from '../../../src/engine/kernel/dune/vmcs.ts';

const ENTER = `    call dune_init_and_enter\n    test rax, rax\n    jne enter_failed\n`;
const FAILED = `enter_failed:\n    mov rdi, 99\n    call exit\n`;
const dune = (body: string, data = '', opts = {}) => runLinux(`${data}\n.text\n_start:\n${ENTER}${body}\n${FAILED}`, { budget: 50_000_000, ...opts });

describe('the Dune module and libdune', () => {
  it('a system call in ring 0 becomes a VMCALL: VM exit, the kernel runs it, VM entry', () => {
    const r = dune(`    lea rdi, [msg]\n    call puts\n    mov rdi, 3\n    call exit`, `.data\nmsg: .asciz "hi"`);
    expect(r.stdout).toBe('hi\n');
    expect(r.status).toEqual({ code: 3, how: 'exit' });
    const w = ofType(r.events, 'syscall').find((e) => e.name === 'write')!;
    expect(w).toMatchObject({ via: 'vmcall', vmx: 'root', cpl: 0 });
    const i = r.events.indexOf(w);
    const exit = r.events.slice(0, i).reverse().find((e) => e.type === 'vmexit')!;
    expect(exit).toMatchObject({ reason: 18, name: 'VMCALL', instrLen: 3 });
    expect(r.events.slice(i).find((e) => e.type === 'vmentry')).toMatchObject({ kind: 'resume', vmx: 'non-root', cpl: 0 });
    expect(ofType(r.events, 'vmentry')[0]).toMatchObject({ kind: 'launch' });
    expect(ofType(r.events, 'libdune').map((e) => e.fn)).toContain('dune_init_and_enter');
  });

  it('the same program gives the same output as a Linux and as a Dune process', () => {
    const body = `    lea rdi, [msg]\n    call puts\n    mov rdi, 0x1234\n    call print_hex\n    mov rdi, 77\n    call print_u64\n    mov rdi, 0\n    call exit`;
    const data = `.data\nmsg: .asciz "same either way"`;
    const lin = runLinux(`${data}\n.text\n_start:\n${body}`);
    const dun = dune(body, data);
    expect(dun.stdout).toBe(lin.stdout);
    expect(lin.stdout).toBe('same either way\n0x1234\n77\n');
    expect(ofType(lin.events, 'vmexit')).toHaveLength(0);
    expect(dun.m.vmexits.VMCALL).toBeGreaterThanOrEqual(4);
  });

  it('the EPT is filled once per page: the first touch exits, the second does not', () => {
    const r = dune(`    mov qword ptr [buf], 1\n    mov qword ptr [buf + 8], 2\n    mov rax, [buf]\n    mov rdi, 0\n    call exit`, `.bss\n.align 4096\nbuf: .zero 4096`);
    const buf = Number(r.s.program.symbols.get('buf'));
    const fills = ofType(r.events, 'vmexit').filter((e) => e.name === 'EPT_VIOLATION' && e.gpa !== undefined && Math.floor(parseInt(e.gpa, 16) / 4096) === buf / 4096);
    expect(fills).toHaveLength(1);
    expect(fills[0].qualification).toBe('0x182'); // data write, linear address valid, final translation
    const v = (r.k.procs[0] as { vcpu?: Vcpu }).vcpu!;
    const e = eptLookup(r.m.mem, v.eptRoot, hvaToGpa(buf)!)!;
    expect(e.lo & 7).toBe(7); // R, W (a write fault), X
  });

  it('an address in a window with no host mapping is refused as the real module refuses it', () => {
    const r = dune(`    mov rax, [0x10000000]\n    mov rdi, 0\n    call exit`);
    expect(r.status?.how).toBe('unhandled-vmexit');
    expect(r.k.report[0]).toMatch(/EPT violation at GPA 0x10000000 .*ept: failed to get user page 0x10000000/);
  });

  it('a VMCALL with rax above 312 returns -EINVAL, as vmx_handle_syscall does', () => {
    const r = dune(`    mov rax, 400\n    vmcall\n    neg rax\n    mov rdi, rax\n    call exit`);
    expect(r.status?.code).toBe(22);
  });

  it('munmap keeps the EPT in sync: the MMU notifier clears the entries and the module runs INVEPT', () => {
    const r = dune(`    mov rax, SYS_mmap
    xor rdi, rdi
    mov rsi, 8192
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9, r9
    syscall
    mov rbx, rax
    mov qword ptr [rbx], 1
    mov qword ptr [rbx + 4096], 2
    mov rdi, rbx
    mov rsi, 8192
    mov rax, SYS_munmap
    syscall
    mov rdi, 0
    call exit`);
    expect(r.status?.code).toBe(0);
    const k = ofType(r.events, 'kernel').find((e) => e.fn === 'mmu_notifier_invalidate_range')!;
    expect(k.detail).toMatch(/munmap: 2 EPT entries cleared/);
    const i = r.events.indexOf(k);
    expect(r.events.slice(i).find((e) => e.type === 'tlb')).toMatchObject({ op: 'invept', scope: 'single-context' });
  });

  it('CPUID exits and is passed through; HLT exits and is a yield', () => {
    const r = dune(`    xor rax, rax\n    cpuid\n    mov r12, rbx\n    hlt\n    mov rdi, r12\n    and rdi, 0xff\n    call exit`);
    expect(r.status?.code).toBe(0x47); // 'G' of "GenuineIntel"
    expect(r.m.vmexits.CPUID).toBe(1);
    expect(r.m.vmexits.HLT).toBe(1);
  });

  it('WRMSR outside the MSR bitmap kills the process with the exit reason; FS.base passes through', () => {
    const ok = dune(`    mov rcx, 0xc0000100\n    mov rax, 0x1000\n    xor rdx, rdx\n    wrmsr\n    rdmsr\n    mov rdi, rax\n    shr rdi, 8\n    call exit`);
    expect(ok.status?.code).toBe(0x10);
    expect(ok.m.vmexits.WRMSR).toBeUndefined();
    const bad = dune(`    mov rcx, 0xc0000082\n    xor rax, rax\n    xor rdx, rdx\n    wrmsr\n    mov rdi, 0\n    call exit`);
    expect(bad.status?.how).toBe('unhandled-vmexit');
    expect(bad.k.report[0]).toMatch(/unhandled vmexit: reason 32 \(WRMSR\), qualification 0x0/);
    expect(bad.k.report.some((l) => l.startsWith('RAX:'))).toBe(true);
  });

  it('MOV to CR4 that flips a bit exits (CR_ACCESS, masks all ones) and is unhandled', () => {
    const r = dune(`    mov rax, cr4\n    xor rax, 0x80\n    mov cr4, rax\n    mov rdi, 0\n    call exit`);
    expect(r.status?.how).toBe('unhandled-vmexit');
    expect(r.k.report[0]).toMatch(/reason 28 \(CR_ACCESS\), qualification 0x4/);
  });

  it('INT3 exits through the exception bitmap (#BP): DUNE_RET_INTERRUPT', () => {
    const r = dune(`    int3\n    mov rdi, 0\n    call exit`);
    const e = ofType(r.events, 'vmexit').at(-1)!;
    expect(e).toMatchObject({ reason: 0, name: 'EXCEPTION_NMI' });
    expect(r.k.report[0]).toMatch(/DUNE_RET_INTERRUPT.*vector 3/);
  });

  it('an external interrupt exits and the module re-enters', () => {
    const sink = dune(`    mov rcx, 1000000\nspin:\n    loop spin\n    mov rdi, 0\n    call exit`, '', { budget: 1 });
    const m = sink.m;
    m.run(200_000);          // into Dune mode and the loop
    expect(m.vmx.nonRoot).toBe(true);
    m.pendingIntr = 0x20;
    m.run(50_000_000);
    expect(m.status).toEqual({ code: 0, how: 'exit' });
    expect(m.vmexits.EXTERNAL_INTERRUPT).toBe(1);
  });

  it('ring-3 code under dune_jump_to_user cannot touch supervisor pages: #PF with U set', () => {
    const r = dune(`    mov rdi, handler
    call dune_register_pgflt_handler
    mov rdi, [pgroot]
    lea rsi, [secret]
    mov rdx, 4096
    mov rcx, PERM_R | PERM_W
    call dune_vm_mprotect
${JUMP_TO_USER}
handler:
    mov rdi, rsi          ; the error code
    call dune_ret_from_user
user:
    mov rax, [secret]`, `.bss\n.align 4096\nsecret: .zero 4096\nustack: .zero 4096\nustack_top:\ntf: .zero TF_SIZE`);
    expect(r.status?.code).toBe(0x5); // P | U (a read)
    const pf = ofType(r.events, 'exception').find((e) => e.vector === 14 && e.vmx === 'non-root')!;
    expect(pf).toMatchObject({ errorCode: 5, to: 'guest-idt', cpl: 3 });
    expect(ofType(r.events, 'ring').some((e) => e.from === 3 && e.to === 0 && e.via === 'exception')).toBe(true);
  });

  it('a signal arrives while in Dune mode: DUNE_RET_SIGNAL, Linux runs the handler, libdune re-enters', () => {
    const r = dune(`    mov rdi, SIGUSR1
    mov rsi, handler
    call signal
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGUSR1
    mov rax, SYS_kill
    syscall
    mov r12, rax                 ; kill's result survives the trip through Linux
    mov rdi, [got]
    add rdi, r12
    call exit
handler:
    mov [got], rdi
    ret`, `.data\ngot: .quad 0`);
    expect(r.status?.code).toBe(10);
    const sig = ofType(r.events, 'signal')[0];
    expect(sig).toMatchObject({ signo: 10, name: 'SIGUSR1', vmx: 'root' });
    const i = r.events.indexOf(sig);
    expect(r.events.slice(0, i).some((e) => e.type === 'kernel' && e.detail.includes('DUNE_RET_SIGNAL'))).toBe(true);
    const after = r.events.slice(i);
    expect(after.find((e) => e.type === 'vmentry')).toMatchObject({ kind: 'resume' });
    expect(ofType(after, 'syscall').find((e) => e.name === 'exit_group')).toMatchObject({ via: 'vmcall' });
  });

  it('fork from a Dune process: the child runs as a Linux process; the parent waits in Dune', () => {
    const r = dune(`    mov rax, SYS_fork
    syscall
    test rax, rax
    je child
    mov rdi, rax
    lea rsi, [status]
    xor rdx, rdx
    xor r10, r10
    mov rax, SYS_wait4
    syscall
    mov rdi, [status]
    shr rdi, 8
    call exit
child:
    lea rdi, [msg]
    call puts
    mov rdi, 5
    call exit`, `.data\nmsg: .asciz "child, outside Dune"\nstatus: .quad 0`);
    expect(r.stdout).toBe('child, outside Dune\n');
    expect(r.status).toEqual({ code: 5, how: 'exit' });
    const childWrite = ofType(r.events, 'syscall').find((e) => e.name === 'write')!;
    expect(childWrite).toMatchObject({ via: 'syscall', vmx: 'root' });
  });

  it('a Dune process only ever reaches host-physical frames that back its own address space', () => {
    const src = `.bss\n.align 4096\nbuf: .zero 65536\n.text\n_start:\n${ENTER}    mov rcx, 4000\n    mov rbx, 7\nl:\n    imul rbx, rbx, 1103515245\n    add rbx, 12345\n    mov rax, rbx\n    shr rax, 20\n    and rax, 0xfff8\n    lea rdx, [buf]\n    add qword ptr [rdx + rax], 1\n    loop l\n    mov rdi, 0\n    call exit\n${FAILED}`;
    const r = runLinux(src, { budget: 1 });
    const m = r.m, k = r.k;
    const orig = m.xlate.bind(m);
    let checked = 0;
    m.xlate = (va, acc, sup) => {
      const pa = orig(va, acc, sup);
      if (m.vmx.nonRoot) {
        const e = lookup(m.mem, k.proc.root, va - (va % 4096));
        const backing = e ? ((e[1] & 0xfffff) * 2 ** 32 + ((e[0] & 0xfffff000) >>> 0)) / 4096 : -1;
        const gpa = hvaToGpa(va - (va % 4096));
        // Identity guest mapping: the frame reached is the one the host maps at this address.
        if (gpa !== null) expect(Math.floor(pa / 4096)).toBe(backing);
        checked++;
      }
      return pa;
    };
    m.run(50_000_000);
    expect(m.status).toEqual({ code: 0, how: 'exit' });
    expect(checked).toBeGreaterThan(4000);
  });
});
