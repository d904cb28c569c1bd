import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';
import { peek, EXIT, WAIT, SIGACTION, RESTORER, SA_FLAGS } from './util.ts';

const kernelFns = (r: ReturnType<typeof runLinux>, fn: string) => ofType(r.events, 'kernel').filter((e) => e.fn === fn);

describe('host kernel: fork, copy-on-write, wait4, scheduling', () => {
  it('fork returns 0 in the child and its pid in the parent; wait4 gives the exit status (code << 8)', () => {
    const r = runLinux(`
.bss
status: .zero 8
ppid: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
${WAIT('r12', 'status')}
    cmp rax, r12
    jne bad
    mov rdi, [status]
    shr rdi, 8
    mov rax, SYS_exit
    syscall
bad:
${EXIT(99)}
child:
    mov rax, SYS_getppid
    syscall
    add rax, 6
    mov rdi, rax
    mov rax, SYS_exit
    syscall
`);
    expect(r.status).toEqual({ code: 7, how: 'exit' }); // getppid() = 1, + 6
    const sc = ofType(r.events, 'syscall').map((e) => e.name);
    expect(sc).toEqual(['fork', 'getppid', 'exit', 'wait4', 'exit']);
    const fork = ofType(r.events, 'syscall')[0];
    expect(fork.ret).toBe('0x2');
    const sw = kernelFns(r, 'switch_to').map((e) => e.detail);
    expect(sw).toEqual(['pid 1 (blocked) -> pid 2 t.s', 'pid 2 (zombie) -> pid 1 t.s']);
    expect(kernelFns(r, 'schedule')[0].detail).toBe('pid 1 sleeps in wait4 (wait4)');
    expect(kernelFns(r, 'release_task')[0].detail).toMatch(/pid 1 reaps pid 2, status 0x700/);
    // Two switches, each charged as a context switch.
    expect(r.m.costs.kernel.contextSwitch).toBeGreaterThanOrEqual(1000);
  });

  it('copy-on-write: the child\'s writes do not show in the parent, nor the parent\'s in the child', () => {
    const r = runLinux(`
.data
val: .quad 100
other: .quad 5
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
    mov qword ptr [other], 50      ; the parent writes after fork: the child must still see 5
${WAIT('r12', 'status')}
    mov rdi, [status]
    shr rdi, 8                     ; the child's exit code: other (5) + val as it wrote it (1)
    add rdi, [val]                 ; the parent's val is still 100
    mov rax, SYS_exit
    syscall
child:
    mov qword ptr [val], 1
    mov rdi, [other]
    add rdi, [val]
    mov rax, SYS_exit
    syscall
`);
    expect(r.status?.code).toBe(106);
    expect(peek(r, 'val')).toBe(100n);
    expect(peek(r, 'other')).toBe(50n);
    // Frames are copied only on write: one copy for the parent's first write to the data page;
    // the child's write then finds it the page's last user and takes it over without a copy.
    const wp = kernelFns(r, 'do_wp_page').map((e) => e.detail);
    expect(wp).toHaveLength(2);
    expect(wp[0]).toMatch(/^pid 1: copy-on-write at 0x401000: frame 0x[0-9a-f]+ copied to/);
    expect(wp[1]).toMatch(/^pid 2: copy-on-write at 0x401000: last user of frame/);
    expect(kernelFns(r, 'do_fork')[0].detail).toMatch(/pid 1 forks pid 2: \d+ page\(s\) shared copy-on-write/);
    expect(r.k.frameRefs.size).toBe(0); // the child's exit dropped its references
  });

  it('pages nobody writes stay shared: no copies at all', () => {
    const r = runLinux(`
.data
val: .quad 3
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
${WAIT('r12', 'status')}
    mov rdi, [status]
    shr rdi, 8
    mov rax, SYS_exit
    syscall
child:
    mov rdi, [val]
    mov rax, SYS_exit
    syscall
`);
    expect(r.status?.code).toBe(3);
    // wait4's status store finds the data page's last user: made writable, never copied.
    expect(kernelFns(r, 'do_wp_page').filter((e) => e.detail.includes('copied'))).toHaveLength(0);
  });

  it('wait4 with no children is -ECHILD; WNOHANG returns 0 while the child runs', () => {
    const r = runLinux(`
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_wait4
    mov rdi, -1
    mov rsi, 0
    mov rdx, 0
    mov r10, 0
    syscall
    mov r13, rax                    ; -ECHILD
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
    mov rax, SYS_wait4
    mov rdi, r12
    lea rsi, [status]
    mov rdx, 1                      ; WNOHANG
    mov r10, 0
    syscall
    mov r14, rax                    ; 0: the child has not run yet
${WAIT('-1', 'status')}
    neg r13
    add r13, r14
    mov rdi, r13
    mov rax, SYS_exit
    syscall
child:
${EXIT(0)}
`);
    expect(r.status?.code).toBe(10); // ECHILD
  });

  it('kill sends a signal between processes: default action terminates, wait4 reports the signal', () => {
    const r = runLinux(`
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
    mov rax, SYS_kill
    mov rdi, r12
    mov rsi, SIGTERM
    syscall
${WAIT('r12', 'status')}
    mov rdi, [status]
    mov rax, SYS_exit
    syscall
child:
    mov rax, SYS_sched_yield
    syscall
    jmp child
`);
    expect(r.status?.code).toBe(15);
    expect(ofType(r.events, 'signal')).toMatchObject([{ signo: 15, name: 'SIGTERM', handler: 'SIG_DFL' }]);
    expect(r.k.report).toContain('t.s[2]: killed by SIGTERM (signal 15) from pid 1');
  });

  it('kill to a handler: the child catches SIGUSR1, returns through rt_sigreturn and exits normally', () => {
    const r = runLinux(`
.data
act: .quad usr1, ${SA_FLAGS}, restorer, 0
.bss
status: .zero 8
flag: .zero 8
.text
_start:
${SIGACTION('SIGUSR1', 'act')}
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
    mov rax, SYS_kill
    mov rdi, r12
    mov rsi, SIGUSR1
    syscall
${WAIT('r12', 'status')}
    mov rdi, [status]
    shr rdi, 8
    mov rax, SYS_exit
    syscall
child:
    cmp qword ptr [flag], 0
    jne done
    mov rax, SYS_sched_yield
    syscall
    jmp child
done:
${EXIT(42)}
usr1:
    mov [flag], rdi
    ret
${RESTORER}`);
    expect(r.status?.code).toBe(42);
    expect(ofType(r.events, 'signal')[0]).toMatchObject({ signo: 10, name: 'SIGUSR1' });
    expect(ofType(r.events, 'signal')[0].handler).toMatch(/^0x4/);
    expect(ofType(r.events, 'syscall').some((e) => e.name === 'rt_sigreturn')).toBe(true);
  });

  it('sched_yield alternates two runnable processes', () => {
    const r = runLinux(`
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    mov r12, rax
    mov rbx, 3
loop:
    mov rax, SYS_sched_yield
    syscall
    dec rbx
    jne loop
    cmp r12, 0
    je child
${WAIT('r12', 'status')}
${EXIT(0)}
child:
${EXIT(0)}
`);
    expect(r.status?.code).toBe(0);
    const sw = kernelFns(r, 'switch_to').map((e) => e.detail.replace(/ \(\w+\)/, ''));
    expect(sw.slice(0, 4)).toEqual(['pid 1 -> pid 2 t.s', 'pid 2 -> pid 1 t.s', 'pid 1 -> pid 2 t.s', 'pid 2 -> pid 1 t.s']);
  });

  it('when every live process is blocked the run ends with a deadlock report', () => {
    const r = runLinux(`
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
${WAIT('-1', 'status')}
${WAIT('-1', 'status')}
${EXIT(0)}
child:
    mov rax, SYS_ptrace
    mov rdi, PTRACE_TRACEME
    syscall
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGSTOP
    mov rax, SYS_kill
    syscall
${EXIT(0)}
`);
    // The parent sees the stop, then waits again for a child nobody will resume.
    expect(r.status).toEqual({ code: 137, how: 'signal' });
    expect(r.k.report.at(-1)).toBe('deadlock: no runnable process: pid 1 blocked in wait4; pid 2 stopped (SIGSTOP, signal) waiting for its tracer');
  });

  it('pid 1 exiting ends the run and kills the other processes', () => {
    const r = runLinux(`
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
${EXIT(3)}
child:
    jmp child
`);
    expect(r.status).toEqual({ code: 3, how: 'exit' });
    expect(kernelFns(r, 'do_exit')[0].detail).toBe('pid 1 ended: the run ends, killing pid 2');
    expect(r.k.byPid(2)!.state).toBe('dead');
  });

  it('the kernel state is structuredClone-able and a snapshot replays a multi-process run exactly', () => {
    const src = `
.data
val: .quad 1
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    mov r12, rax
    mov rbx, 4
l:  add qword ptr [val], 1
    mov rax, SYS_sched_yield
    syscall
    dec rbx
    jne l
    cmp r12, 0
    je child
${WAIT('r12', 'status')}
    mov rdi, [status]
    shr rdi, 8
    add rdi, [val]
    mov rax, SYS_exit
    syscall
child:
    mov rdi, [val]
    mov rax, SYS_exit
    syscall
`;
    const a = runLinux(src, { budget: 12 });
    expect(a.status).toBeNull();
    const snap = a.m.snapshot();
    const first = a.m.run(100_000);
    const cycles = a.m.cycles;
    a.m.restore(snap);
    expect(a.m.run(100_000)).toEqual(first);
    expect(a.m.cycles).toBe(cycles);
    expect(first?.code).toBe(10);
  });
});
