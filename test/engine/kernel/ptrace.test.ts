import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';
import { peek, EXIT, WAIT } from './util.ts';

const PT = (req: string, pid: string, addr: string, data: string) =>
  `    mov rax, SYS_ptrace\n    mov rdi, ${req}\n    mov rsi, ${pid}\n    mov rdx, ${addr}\n    ${data.startsWith('[') ? `lea r10, ${data}` : `mov r10, ${data}`}\n    syscall\n`;

/** The child: PTRACE_TRACEME, stop itself with SIGSTOP, then getpid N times (summing the
 *  results in rbx) and exit(rbx). */
const CHILD = (n: number) => `
child:
${PT('PTRACE_TRACEME', '0', '0', '0')}
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGSTOP
    mov rax, SYS_kill
    syscall
    xor rbx, rbx
    mov r12, ${n}
cloop:
    mov rax, SYS_getpid
    syscall
    add rbx, rax
    dec r12
    jne cloop
    mov rdi, rbx
    mov rax, SYS_exit
    syscall
`;

// The tracer intercepts every system call with PTRACE_SYSCALL (two stops per call) and records
// orig_rax and rax from PTRACE_GETREGS at each stop.
const SYSCALL_TRACER = `
.bss
status: .zero 8
first: .zero 8
regs: .zero 27 * 8
count: .zero 8
origs: .zero 8 * 16
raxs: .zero 8 * 16
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
${WAIT('r12', 'status')}
    mov rax, [status]
    mov [first], rax
    xor r13, r13
tloop:
${PT('PTRACE_SYSCALL', 'r12', '0', '0')}
${WAIT('r12', 'status')}
    mov rax, [status]
    and rax, 0x7f
    cmp rax, 0x7f
    jne tdone
${PT('PTRACE_GETREGS', 'r12', '0', '[regs]')}
    mov rax, [regs + 15 * 8]
    lea rdx, [origs]
    mov [rdx + r13 * 8], rax
    mov rax, [regs + 10 * 8]
    lea rdx, [raxs]
    mov [rdx + r13 * 8], rax
    inc r13
    jmp tloop
tdone:
    mov [count], r13
    mov rdi, [status]
    shr rdi, 8
    mov rax, SYS_exit
    syscall
${CHILD(3)}`;

describe('host kernel: ptrace', () => {
  it('PTRACE_SYSCALL: a stop at each system call\'s entry and exit; GETREGS shows orig_rax 39 and the result', () => {
    const r = runLinux(SYSCALL_TRACER);
    expect(r.status).toEqual({ code: 6, how: 'exit' }); // the child's exit: 3 x getpid() = 3 x 2
    expect(peek(r, 'first')).toBe(0x137fn);              // stopped by SIGSTOP (0x7f | 19 << 8)
    expect(peek(r, 'count')).toBe(7n);                   // 3 getpid x (entry + exit), exit's entry
    const origs = Array.from({ length: 7 }, (_, i) => peek(r, 'origs', i * 8));
    expect(origs).toEqual([39n, 39n, 39n, 39n, 39n, 39n, 60n]);
    const raxs = Array.from({ length: 7 }, (_, i) => peek(r, 'raxs', i * 8));
    const ENOSYS = BigInt.asUintN(64, -38n);
    expect(raxs).toEqual([ENOSYS, 2n, ENOSYS, 2n, ENOSYS, 2n, ENOSYS]);
    // The tracee's system calls are ordinary syscall events; the tracer's ptrace calls are its own.
    const sc = ofType(r.events, 'syscall');
    expect(sc.filter((e) => e.name === 'getpid').length).toBe(4);
    expect(sc.filter((e) => e.name === 'ptrace').length).toBe(1 + 8 + 7);
    const stops = ofType(r.events, 'kernel').filter((e) => e.fn === 'ptrace_stop').map((e) => e.detail);
    expect(stops[0]).toBe('pid 2 stops (SIGSTOP, signal) for tracer pid 1');
    expect(stops[1]).toBe('pid 2 stops (SIGTRAP, syscall-entry) for tracer pid 1');
    expect(stops[2]).toBe('pid 2 stops (SIGTRAP, syscall-exit) for tracer pid 1');
  });

  it('the PTRACE_SYSCALL round trip is dominated by stops and context switches (paper: 27,317 cycles)', () => {
    const per = (n: number) => {
      const r = runLinux(SYSCALL_TRACER.replace('CHILD_N', '').replace(/mov r12, 3\ncloop:/, `mov r12, ${n}\ncloop:`), { budget: 5_000_000 });
      return r.m.cycles;
    };
    const trip = (per(12) - per(2)) / 10;
    expect(trip).toBeGreaterThan(27317 * 0.8);
    expect(trip).toBeLessThan(27317 * 1.2);
  });

  it('PTRACE_SYSEMU: one stop per call, the call is skipped and the tracer\'s SETREGS supplies the result', () => {
    const r = runLinux(`
.bss
status: .zero 8
regs: .zero 27 * 8
stops: .zero 8
exitarg: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
${WAIT('r12', 'status')}
tloop:
${PT('PTRACE_SYSEMU', 'r12', '0', '0')}
${WAIT('r12', 'status')}
    add qword ptr [stops], 1
${PT('PTRACE_GETREGS', 'r12', '0', '[regs]')}
    mov rax, [regs + 15 * 8]
    cmp rax, SYS_exit
    je kill
    add rax, 1000                  ; emulate getpid: 1039
    mov [regs + 10 * 8], rax
${PT('PTRACE_SETREGS', 'r12', '0', '[regs]')}
    jmp tloop
kill:
    mov rax, [regs + 14 * 8]       ; the exit code the child asked for (rdi)
    mov [exitarg], rax
${PT('PTRACE_KILL', 'r12', '0', '0')}
${WAIT('r12', 'status')}
    mov rdi, [status]
    mov rax, SYS_exit
    syscall
${CHILD(3)}`);
    expect(r.status).toEqual({ code: 9, how: 'exit' }); // killed by SIGKILL
    expect(peek(r, 'stops')).toBe(4n);                   // 3 getpid + exit, entry stops only
    expect(peek(r, 'exitarg')).toBe(3n * 1039n);
    expect(ofType(r.events, 'syscall').filter((e) => e.name === 'getpid').length).toBe(1); // only the child's first, untraced-by-SYSEMU one
    expect(ofType(r.events, 'kernel').filter((e) => e.fn === 'syscall_trace_enter').length).toBe(4);
  });

  it('PEEKDATA and POKEDATA read and write the stopped tracee\'s memory (copy-on-write broken for it alone)', () => {
    const r = runLinux(`
.data
val: .quad 11
.bss
status: .zero 8
word: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
${WAIT('r12', 'status')}
${PT('PTRACE_PEEKDATA', 'r12', 'val', '[word]')}
    mov rbx, [word]
    add rbx, 20
${PT('PTRACE_POKEDATA', 'r12', 'val', 'rbx')}
${PT('PTRACE_CONT', 'r12', '0', '0')}
${WAIT('r12', 'status')}
    mov rdi, [status]
    shr rdi, 8
    add rdi, [val]                 ; the parent's val is still 11
    mov rax, SYS_exit
    syscall
child:
${PT('PTRACE_TRACEME', '0', '0', '0')}
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGSTOP
    mov rax, SYS_kill
    syscall
    mov rdi, [val]                 ; 31, poked by the tracer
    mov rax, SYS_exit
    syscall
`);
    expect(r.status?.code).toBe(42);
    expect(peek(r, 'word')).toBe(11n);
  });

  it('ptrace errors: requests on a running or untraced process are -ESRCH', () => {
    const r = runLinux(`
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
${PT('PTRACE_CONT', 'r12', '0', '0')}
    neg rax
    mov rdi, rax
    mov rax, SYS_exit
    syscall
child:
${EXIT(0)}
`);
    expect(r.status?.code).toBe(3);
  });

  it('PTRACE_ATTACH stops the target with SIGSTOP; PTRACE_DETACH lets it go on', () => {
    const r = runLinux(`
.bss
status: .zero 8
first: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
${PT('PTRACE_ATTACH', 'r12', '0', '0')}
${WAIT('r12', 'status')}
    mov rax, [status]
    mov [first], rax
${PT('PTRACE_DETACH', 'r12', '0', '0')}
${WAIT('r12', 'status')}
    mov rdi, [status]
    shr rdi, 8
    mov rax, SYS_exit
    syscall
child:
    mov rax, SYS_sched_yield
    syscall
${EXIT(12)}
`);
    expect(r.status?.code).toBe(12);
    expect(peek(r, 'first')).toBe(0x137fn);
  });

  it('the same tracing program gives the same events twice (determinism)', () => {
    const a = runLinux(SYSCALL_TRACER), b = runLinux(SYSCALL_TRACER);
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
    expect(a.m.cycles).toBe(b.m.cycles);
  });
});
