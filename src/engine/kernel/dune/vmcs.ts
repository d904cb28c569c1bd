// The Dune module's VMCS for a process (kern/vmx.c vmx_setup_vmcs / vmx_setup_initial_guest_state):
// controls with EPT and VPID, the exception bitmap with only #DB and #BP, CR0/CR4 guest/host masks
// all ones, the MSR bitmap passing FS/GS base, HLT exiting (the paper's yield), and host state for
// the exit handler. Values from ../shared/reference/dune-facts.md §2. World: VMX root.

import { VMCS, PIN, PROC, PROC2, EXIT_CTL, ENTRY_CTL } from '../../arch/vmx.ts';
import { CR0, CR4, EFER, MSR, SEL, VEC } from '../../arch/x86.ts';
import { KERNEL, ENTRY, entryVa } from '../layout.ts';
import { makeEptp } from '../../ept/ept.ts';
import type { Kernel } from '../kernel.ts';
import type { UserCtx } from '../process.ts';

export interface Vcpu {
  /** VMCS region id (Vmx.regions). */
  vmcs: number;
  vpid: number;
  /** Host-physical address of the EPT PML4, and the EPTP. */
  eptRoot: number;
  eptp: number;
  /** Guest general registers, saved when the process leaves the CPU inside a VM exit (KVM's
   *  vcpu->arch.regs): the hardware does not keep them in the VMCS. */
  regs: bigint[] | null;
  /** The dune_config the process passed to DUNE_ENTER (a user address). */
  cfg: number;
  /** The Linux-side context of that ioctl: where the process goes when the module returns to
   *  Linux (DUNE_RET_SIGNAL). */
  linux: UserCtx | null;
}

/** Guest CR0/CR4/EFER. EFER.NXE is set as on the host (libdune writes PTE_NX for pages without
 *  PERM_X, which needs NXE; the module loads the host's EFER). */
export const GUEST_CR0 = (CR0.PG | CR0.PE | CR0.WP | CR0.MP | CR0.ET | CR0.NE) >>> 0;
export const GUEST_CR4 = CR4.PAE | CR4.VMXE | CR4.OSXMMEXCPT | CR4.PGE | CR4.OSFXSR | CR4.PCIDE;
export const GUEST_EFER = EFER.LME | EFER.LMA | EFER.SCE | EFER.NXE | EFER.FFXSR;

const CANON = 0xffff000000000000n;

export function setupVmcs(k: Kernel, cfg: { rip: bigint; rsp: bigint; cr3: bigint; rflags: bigint }, vpid: number, msrBitmap: number): Vcpu {
  const m = k.m, vx = m.vmx, c = m.cpu;
  const v = vx.allocVmcs();
  vx.vmclear(v);
  vx.vmptrld(v);
  const eptRoot = m.mem.alloc() * 4096;
  const eptp = makeEptp(eptRoot, m.knobs.eptAd);
  const w = (f: keyof typeof VMCS, val: number | bigint) => {
    const r = vx.vmwrite(VMCS[f], BigInt.asUintN(64, BigInt(val)));
    if (!r.ok) throw new Error(`dune: ${r.message}`);
  };
  // Execution controls.
  w('PIN_BASED_VM_EXEC_CONTROL', PIN.EXT_INTR_EXITING | PIN.NMI_EXITING);
  w('CPU_BASED_VM_EXEC_CONTROL', (PROC.HLT_EXITING | PROC.USE_TSC_OFFSETTING | PROC.MOV_DR_EXITING | PROC.CR8_LOAD_EXITING |
    PROC.CR8_STORE_EXITING | PROC.USE_MSR_BITMAPS | PROC.ACTIVATE_SECONDARY_CONTROLS) >>> 0);
  w('SECONDARY_VM_EXEC_CONTROL', PROC2.ENABLE_EPT | (m.knobs.vpid ? PROC2.ENABLE_VPID : 0) | PROC2.ENABLE_RDTSCP | PROC2.ENABLE_INVPCID);
  w('VIRTUAL_PROCESSOR_ID', m.knobs.vpid ? vpid : 0);
  w('EPT_POINTER', eptp);
  w('MSR_BITMAP', msrBitmap);
  w('TSC_OFFSET', 0);
  w('EXCEPTION_BITMAP', (1 << VEC.DB) | (1 << VEC.BP));
  w('PAGE_FAULT_ERROR_CODE_MASK', 0); w('PAGE_FAULT_ERROR_CODE_MATCH', 0);
  w('CR3_TARGET_COUNT', 0);
  w('CR0_GUEST_HOST_MASK', 0xffffffffffffffffn); w('CR4_GUEST_HOST_MASK', 0xffffffffffffffffn);
  w('CR0_READ_SHADOW', GUEST_CR0); w('CR4_READ_SHADOW', GUEST_CR4);
  w('VM_EXIT_CONTROLS', EXIT_CTL.HOST_ADDR_SPACE_SIZE | EXIT_CTL.ACK_INTR_ON_EXIT);
  w('VM_ENTRY_CONTROLS', ENTRY_CTL.IA32E_MODE);
  w('VMCS_LINK_POINTER', 0xffffffffffffffffn);
  // Guest state: ring 0 (CS 0x10), the config's RIP/RSP/RFLAGS and CR3 (libdune's page table).
  w('GUEST_CR0', GUEST_CR0); w('GUEST_CR4', GUEST_CR4); w('GUEST_CR3', cfg.cr3);
  w('GUEST_IA32_EFER', GUEST_EFER);
  w('GUEST_CS_SELECTOR', SEL.KERNEL_CS); w('GUEST_SS_SELECTOR', SEL.KERNEL_DS);
  w('GUEST_RIP', cfg.rip); w('GUEST_RSP', cfg.rsp); w('GUEST_RFLAGS', cfg.rflags | 2n);
  w('GUEST_FS_BASE', c.msrGet(MSR.IA32_FS_BASE)); w('GUEST_GS_BASE', 0);
  w('GUEST_IDTR_BASE', 0); w('GUEST_IDTR_LIMIT', 0); w('GUEST_GDTR_BASE', 0);
  w('GUEST_ACTIVITY_STATE', 0);
  // Host state: the exit handler in kernel text, on this process's kernel stack.
  w('HOST_CR0', c.cr0); w('HOST_CR3', c.cr3); w('HOST_CR4', c.cr4);
  w('HOST_CS_SELECTOR', SEL.KERNEL_CS); w('HOST_SS_SELECTOR', SEL.KERNEL_DS); w('HOST_TR_SELECTOR', KERNEL.TSS_SEL);
  w('HOST_TR_BASE', BigInt(KERNEL.TSS) | CANON); w('HOST_GDTR_BASE', BigInt(KERNEL.GDT) | CANON);
  w('HOST_IDTR_BASE', BigInt(KERNEL.IDT) | CANON);
  w('HOST_RIP', BigInt(entryVa(ENTRY.VMEXIT)) | CANON);
  w('HOST_RSP', BigInt(k.proc.kstackTop) | CANON);
  w('HOST_FS_BASE', c.msrGet(MSR.IA32_FS_BASE)); w('HOST_GS_BASE', c.msrGet(MSR.IA32_GS_BASE));
  return { vmcs: v.id, vpid, eptRoot, eptp, regs: null, cfg: 0, linux: null };
}
