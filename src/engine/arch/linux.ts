// Linux x86-64 ABI numbers the guest language names without a declaration.
// Source: Linux arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/{signal,mman,errno}.h.
// World: shared by the assembler (constants), the host kernel (dispatch) and the UI (labels).

/** System call numbers (x86-64). The kernel's dispatch table is keyed by these. */
export const SYSCALLS = {
  read: 0, write: 1, open: 2, close: 3, fstat: 5, mmap: 9, mprotect: 10, munmap: 11, brk: 12,
  rt_sigaction: 13, rt_sigprocmask: 14, rt_sigreturn: 15, ioctl: 16, sched_yield: 24,
  getpid: 39, clone: 56, fork: 57, vfork: 58, exit: 60, wait4: 61, kill: 62, ptrace: 101,
  getppid: 110, sigaltstack: 131, iopl: 172, gettid: 186, exit_group: 231,
} as const;
export type SyscallName = keyof typeof SYSCALLS;
export const SYSCALL_NAMES: Readonly<Record<number, SyscallName>> = Object.fromEntries(
  Object.entries(SYSCALLS).map(([k, v]) => [v, k as SyscallName]));

/** Signal numbers (x86 Linux). */
export const SIGNALS = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22,
  SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29,
  SIGPWR: 30, SIGSYS: 31,
} as const;
export const SIGNAL_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(SIGNALS).map(([k, v]) => [v, k]));

export const MMAN = {
  PROT_NONE: 0x0, PROT_READ: 0x1, PROT_WRITE: 0x2, PROT_EXEC: 0x4,
  MAP_SHARED: 0x01, MAP_PRIVATE: 0x02, MAP_FIXED: 0x10, MAP_ANONYMOUS: 0x20,
} as const;

export const PTRACE = {
  PTRACE_TRACEME: 0, PTRACE_PEEKDATA: 2, PTRACE_POKEDATA: 5, PTRACE_CONT: 7, PTRACE_KILL: 8,
  PTRACE_GETREGS: 12, PTRACE_SETREGS: 13, PTRACE_ATTACH: 16, PTRACE_DETACH: 17,
  PTRACE_SYSCALL: 24, PTRACE_SYSEMU: 31,
} as const;

/** errno values; system calls return -errno in rax. */
export const ERRNO = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, EBADF: 9, ECHILD: 10, EAGAIN: 11, ENOMEM: 12,
  EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22, ENOTTY: 25, ENOSYS: 38,
} as const;

/** Process layout (guest-asm.md "The machine the program runs on"). */
export const LAYOUT = {
  TEXT_BASE: 0x400000,
  /** libdune and the small libc, "statically linked" below .text: a table of 16-byte entry
   *  slots (RUNTIME_FUNCS order) at RUNTIME_TEXT, then their code. */
  RUNTIME_TEXT: 0x300000,
  /** The runtime's data, starting with libdune's globals (pgroot, phys_limit, mmap_base, stack_base). */
  RUNTIME_DATA: 0x380000,
  MMAP_TOP: 0x7f0000000000,
  STACK_TOP: 0x7ffffffff000,
  STACK_MIN: 64 * 1024,
  PAGE: 4096,
} as const;
