// libdune's and the Dune module's numbers (libdune/dune.h, libdune/mmu-x86.h, kern/dune.h).
// Source: ../shared/reference/dune-facts.md §2. World: guest ring 0 (libdune) and the module.

/** dune_vm_* permission flags. */
export const PERM = {
  PERM_R: 0x1, PERM_W: 0x2, PERM_X: 0x4, PERM_U: 0x8, PERM_UC: 0x10, PERM_COW: 0x20,
  PERM_BIG: 0x100, PERM_BIG_1GB: 0x200,
} as const;

/** Guest page-table entry bits as libdune names them (bit 63 is PTE_NX; see PTE_NX_BIT). */
export const PTE_FLAGS = {
  PTE_P: 0x1, PTE_W: 0x2, PTE_U: 0x4, PTE_PWT: 0x8, PTE_PCD: 0x10, PTE_A: 0x20, PTE_D: 0x40,
  PTE_PS: 0x80, PTE_G: 0x100, PTE_COW: 0x200,
} as const;
export const PTE_NX_BIT = 63;

/** Page-fault error code bits as libdune names them (FEC_*). */
export const FEC = { FEC_P: 1, FEC_W: 2, FEC_U: 4, FEC_RSV: 8, FEC_I: 0x10 } as const;

/** struct dune_tf byte offsets (dune.S); the frame is 168 bytes. */
export const TF = {
  TF_RDI: 0, TF_RSI: 8, TF_RDX: 16, TF_RCX: 24, TF_R8: 32, TF_R9: 40, TF_R10: 48, TF_R11: 56,
  TF_RBX: 64, TF_RBP: 72, TF_R12: 80, TF_R13: 88, TF_R14: 96, TF_R15: 104, TF_RAX: 112,
  TF_ERR: 120, TF_RIP: 128, TF_CS: 136, TF_RFLAGS: 144, TF_RSP: 152, TF_SS: 160, TF_SIZE: 168,
} as const;

/** Functions the simulator links into every program (libdune, then the small libc), in slot order.
 *  Each gets a 16-byte entry slot at LAYOUT.RUNTIME_TEXT + 16 * index. */
export const RUNTIME_FUNCS = [
  'dune_init', 'dune_enter', 'dune_init_and_enter',
  'dune_vm_map_pages', 'dune_vm_map_phys', 'dune_vm_mprotect', 'dune_vm_unmap', 'dune_vm_lookup',
  'dune_vm_page_walk', 'dune_vm_clone', 'dune_flush_tlb_one', 'dune_flush_tlb',
  'dune_register_pgflt_handler', 'dune_register_intr_handler', 'dune_register_syscall_handler',
  'dune_jump_to_user', 'dune_ret_from_user', 'dune_passthrough_syscall', 'dune_get_ticks',
  'dune_printf', 'dune_die',
  'signal', 'puts', 'print_u64', 'print_hex', 'exit', 'memset', 'memcpy',
  // the collector (libdune/asm-gc.ts, docs/apps.md)
  'gc_init', 'gc_alloc', 'gc_collect', 'gc_add_roots', 'gc_mode_from_stdin', 'gc_print_stats',
  // the sandbox monitor (libdune/asm-boxer.ts, docs/apps.md)
  'boxer_run',
  // Wedge sthreads (libdune/asm-sthread.ts, docs/apps.md)
  'sthread_init', 'sthread_create', 'sthread_join', 'sthread_recycle_invlpg',
  'sc_init', 'sc_mem_add', 'sc_fd_add', 'sc_sys_add',
] as const;
export type RuntimeFunc = (typeof RUNTIME_FUNCS)[number];
export const RUNTIME_SLOT = 16;

/** libdune's global variables, 8 bytes each at LAYOUT.RUNTIME_DATA + 8 * index. */
export const RUNTIME_DATA_VARS = ['pgroot', 'phys_limit', 'mmap_base', 'stack_base'] as const;

/** /dev/dune ioctls (kern/dune.h). */
export const DUNE_IOCTL = {
  DUNE_ENTER: 0x80b0e901, DUNE_GET_SYSCALL: 0xe902, DUNE_GET_LAYOUT: 0x4018e903,
} as const;
export const DUNE_RET = {
  DUNE_RET_EXIT: 1, DUNE_RET_EPT_VIOLATION: 2, DUNE_RET_INTERRUPT: 3, DUNE_RET_SIGNAL: 4,
  DUNE_RET_UNHANDLED_VMEXIT: 5, DUNE_RET_NOENTER: 6,
} as const;
