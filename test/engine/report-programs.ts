// Programs that end with a report (a fatal signal, a trap, an unhandled VM exit, Dune's exit
// codes, a deadlock, the instruction budget of a native): report.test.ts holds their English,
// captured before the report had keys, byte for byte.

const WAIT = (pid: string) => `    mov rax, SYS_wait4\n    mov rdi, ${pid}\n    lea rsi, [status]\n    mov rdx, 0\n    mov r10, 0\n    syscall\n`;
const EXIT = '    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n';
const DUNE = (body: string) => `.text\n_start:\n    call dune_init_and_enter\n${body}\n    mov rdi, 0\n    call exit\n`;

export const REPORT_PROGRAMS: { name: string; src: string; budget?: number }[] = [
  { name: 'segfault', src: '_start:\n    mov rax, 5\n    mov qword ptr [0x10], rax\n' },
  { name: 'divide', src: '_start:\n    xor rcx, rcx\n    div rcx\n' },
  { name: 'ud2', src: '_start:\n    ud2\n' },
  { name: 'int3', src: '_start:\n    int3\n' },
  { name: 'gp', src: '_start:\n    cli\n' },
  { name: 'kill', src: `.bss\nstatus: .zero 8\n.text\n_start:\n    mov rax, SYS_fork\n    syscall\n    cmp rax, 0\n    je child\n    mov r12, rax\n    mov rax, SYS_kill\n    mov rdi, r12\n    mov rsi, SIGTERM\n    syscall\n${WAIT('r12')}    mov rdi, [status]\n    mov rax, SYS_exit\n    syscall\nchild:\n    mov rax, SYS_sched_yield\n    syscall\n    jmp child\n` },
  { name: 'deadlock', src: `.bss\nstatus: .zero 8\n.text\n_start:\n    mov rax, SYS_fork\n    syscall\n    cmp rax, 0\n    je child\n${WAIT('-1')}${WAIT('-1')}${EXIT}child:\n    mov rax, SYS_ptrace\n    mov rdi, PTRACE_TRACEME\n    syscall\n    mov rax, SYS_getpid\n    syscall\n    mov rdi, rax\n    mov rsi, SIGSTOP\n    mov rax, SYS_kill\n    syscall\n${EXIT}` },
  { name: 'ept-violation', src: DUNE('    mov rax, [0x10000000]') },
  { name: 'wrmsr', src: DUNE('    mov rcx, 0xc0000082\n    xor rax, rax\n    xor rdx, rdx\n    wrmsr') },
  { name: 'cr4', src: DUNE('    mov rax, cr4\n    xor rax, 0x80\n    mov cr4, rax') },
  { name: 'dune-int3', src: DUNE('    int3') },
  { name: 'sigreturn', src: '_start:\n    mov rsp, 0x10\n    mov rax, SYS_rt_sigreturn\n    syscall\n' },
  { name: 'dune-segv', src: DUNE('    mov rbx, 0x500000000000\n    mov rax, [rbx]') },
  { name: 'native-budget', budget: 200_000, src: `.data\nfmt: .asciz "%s\\n"\n.text\n_start:\n    call dune_init_and_enter\n    lea rdi, [spin]\n    call dune_register_pgflt_handler\n    lea rdi, [fmt]\n    mov rsi, 0x500000000000\n    call dune_printf\n    mov rdi, 0\n    call exit\nspin:\n    jmp spin\n` },
];
