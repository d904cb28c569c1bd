// The runtime linked into every guest program: the small libc of guest-asm.md and libdune
// (libdune/entry.c, dune.S, trap.c, vm.c, as dune-facts.md describes them), written in the guest
// language itself so every instruction and memory access is simulated. Routines too tedious for
// assembly (page-table management, the formatter) are TypeScript natives, placed at `native_*`
// labels (natives.ts); they still reach memory only through the MMU.
// World: the caller's mode (Linux ring 3; in Dune mode, ring 0 of VMX non-root).

import { RUNTIME_FUNCS } from '../arch/dune.ts';
import { DUNE_IOCTL } from '../arch/dune.ts';
import { LIBC_ASM } from './asm-libc.ts';
import { ENTRY_ASM } from './asm-entry.ts';
import { TRAPS_ASM } from './asm-traps.ts';
import { GC_CONSTANTS, GC_ASM, GC_DATA } from './asm-gc.ts';
import { GC_MARK_ASM } from './asm-gc-mark.ts';
import { GC_VDB_ASM } from './asm-gc-vdb.ts';
import { BOXER_CONSTANTS, BOXER_ASM, boxerData } from './asm-boxer.ts';
import { STHREAD_CONSTANTS, STHREAD_ASM, STHREAD_DATA } from './asm-sthread.ts';
import { STHREAD_POLICY_ASM } from './asm-sthread-policy.ts';

/** Pages in libdune's page pool (dune_page_init), enough for the full mapping of the three 4 GiB
 *  windows with 4 KiB pages (3 x 2048 page tables) and room for dune_vm_map_pages. */
export const POOL_PAGES = 8192;

/** libdune API functions written in assembly; they return through `native_ret_<fn>` so their
 *  returns appear as `libdune` events. */
export const ASM_API = ['dune_init', 'dune_enter', 'dune_init_and_enter', 'dune_flush_tlb_one', 'dune_flush_tlb',
  'dune_register_pgflt_handler', 'dune_register_intr_handler', 'dune_register_syscall_handler', 'dune_jump_to_user',
  'dune_passthrough_syscall', 'dune_get_ticks', 'dune_printf', 'dune_vm_page_walk'];
/** libdune API functions implemented natively (they emit their own return events). */
export const NATIVE_API = ['dune_vm_map_pages', 'dune_vm_map_phys', 'dune_vm_mprotect', 'dune_vm_unmap', 'dune_vm_lookup', 'dune_vm_clone'];
/** Functions that never return to their caller. */
const NORETURN = ['dune_ret_from_user', 'dune_die'];
export const LIBDUNE_API = [...ASM_API, ...NATIVE_API, ...NORETURN];


function slots(): string {
  return RUNTIME_FUNCS.map((f) => `${f}:\n    jmp __${f}\n    .align 16`).join('\n');
}

export const RUNTIME_SOURCE = `
; ---- constants --------------------------------------------------------------------------
O_RDWR = 2
MAP_POPULATE = 0x8000
SA_SIGINFO = 4
SA_RESTORER = 0x04000000
DUNE_ENTER = ${DUNE_IOCTL.DUNE_ENTER}
DUNE_GET_SYSCALL = ${DUNE_IOCTL.DUNE_GET_SYSCALL}
DUNE_GET_LAYOUT = ${DUNE_IOCTL.DUNE_GET_LAYOUT}
POOL_BYTES = ${POOL_PAGES * 4096}
GPA_MAP = 0x100000000
CFG_RET = 0
DUNE_RET_SIGNAL = 4
CFG_RSP = 0x38
CFG_RIP = 0x88
CFG_RFLAGS = 0x90
CFG_CR3 = 0x98
GD_TSS = 0x38
GD_UT = 0x33
GD_UD = 0x2b
${GC_CONSTANTS}
${BOXER_CONSTANTS}
${STHREAD_CONSTANTS}
.text
; ---- entry slots (16 bytes each, in RUNTIME_FUNCS order) ---------------------------------
${slots()}

${LIBC_ASM}
${ENTRY_ASM}
${TRAPS_ASM}
${GC_ASM}
${GC_MARK_ASM}
${GC_VDB_ASM}
${BOXER_ASM}
${STHREAD_ASM}
${STHREAD_POLICY_ASM}
; ---- natives (natives.ts) ----------------------------------------------------------------
native_dune_setup: ud2
native_format: ud2
native_trap_fatal: ud2
native_pw_begin: ud2
native_pw_next: ud2
native_pw_end: ud2
${NATIVE_API.map((f) => `__${f}: ud2`).join('\n')}
${ASM_API.map((f) => `native_ret_${f}: ud2`).join('\n')}

; ---- data (libdune's globals first, at fixed addresses) ----------------------------------
.data
pgroot: .quad 0
phys_limit: .quad 0
mmap_base: .quad 0
stack_base: .quad 0
__dune_fd: .quad -1
__pool_base: .quad 0
__pool_next: .quad 0
__lstar: .quad 0
__syscall_page: .quad 0
__pgflt_cb: .quad 0
__syscall_cb: .quad 0
__in_usermode: .quad 0
__ring0_rsp: .quad 0
__user_rsp: .quad 0
__dune_cfg: .zero 176
__pw_depth: .quad 0
__pw_state: .zero 768
__dev_dune: .asciz "/dev/dune"
__hexdigits: .ascii "0123456789abcdef"
.align 16
__gdtr: .word 79
    .quad __gdt
.align 16
__idtr: .word 4095
    .quad __idt
.align 16
__gdt: .zero 80
__tss: .zero 104
.align 4096
__iobuf: .zero 4096
__intr_cbs: .zero 2048
.align 4096
__idt: .zero 4096
__trap_stack: .zero 8192
__trap_stack_top:
__ist_stack: .zero 4096
__ist_stack_top:
${GC_DATA}
${boxerData()}
${STHREAD_DATA}
`;
