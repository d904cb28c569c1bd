// VT-x architectural numbers: basic exit reasons, VMCS field encodings, control bits,
// VM-instruction errors. Source: Intel SDM Vol. 3C ch. "Virtual-Machine Control Structures",
// App. C "VMX Basic Exit Reasons" (via ../shared/reference/vtx-facts.md §1, §5, §6).

/** Basic exit reasons (exit-reason field bits 15:0), SDM Appendix C. Names as the trace prints them. */
export const EXIT_REASON = {
  EXCEPTION_NMI: 0, EXTERNAL_INTERRUPT: 1, TRIPLE_FAULT: 2, INIT_SIGNAL: 3, SIPI: 4, IO_SMI: 5,
  OTHER_SMI: 6, INTERRUPT_WINDOW: 7, NMI_WINDOW: 8, TASK_SWITCH: 9, CPUID: 10, GETSEC: 11,
  HLT: 12, INVD: 13, INVLPG: 14, RDPMC: 15, RDTSC: 16, RSM: 17, VMCALL: 18, VMCLEAR: 19,
  VMLAUNCH: 20, VMPTRLD: 21, VMPTRST: 22, VMREAD: 23, VMRESUME: 24, VMWRITE: 25, VMXOFF: 26,
  VMXON: 27, CR_ACCESS: 28, DR_ACCESS: 29, IO_INSTRUCTION: 30, RDMSR: 31, WRMSR: 32,
  INVALID_GUEST_STATE: 33, MSR_LOAD_FAIL: 34, MWAIT: 36, MONITOR_TRAP_FLAG: 37, MONITOR: 39,
  PAUSE: 40, MCE_DURING_VMENTRY: 41, TPR_BELOW_THRESHOLD: 43, APIC_ACCESS: 44, EOI_INDUCED: 45,
  GDTR_IDTR: 46, LDTR_TR: 47, EPT_VIOLATION: 48, EPT_MISCONFIG: 49, INVEPT: 50, RDTSCP: 51,
  PREEMPTION_TIMER: 52, INVVPID: 53, WBINVD: 54, XSETBV: 55, APIC_WRITE: 56, RDRAND: 57,
  INVPCID: 58, VMFUNC: 59, ENCLS: 60, RDSEED: 61, PML_FULL: 62, XSAVES: 63, XRSTORS: 64,
} as const;
export type ExitName = keyof typeof EXIT_REASON;
export const EXIT_NAME: Readonly<Record<number, ExitName>> = Object.fromEntries(
  Object.entries(EXIT_REASON).map(([k, v]) => [v, k as ExitName]));
/** Exits caused by executing an instruction (SDM "Information for VM Exits Due to Instruction
 *  Execution"): VM_EXIT_INSTRUCTION_LEN receives the instruction's length. */
export const INSTRUCTION_EXITS: ReadonlySet<number> = new Set(([
  'CPUID', 'GETSEC', 'HLT', 'INVD', 'INVLPG', 'RDPMC', 'RDTSC', 'RSM', 'VMCALL', 'VMCLEAR', 'VMLAUNCH', 'VMPTRLD',
  'VMPTRST', 'VMREAD', 'VMRESUME', 'VMWRITE', 'VMXOFF', 'VMXON', 'CR_ACCESS', 'DR_ACCESS', 'IO_INSTRUCTION', 'RDMSR',
  'WRMSR', 'MWAIT', 'MONITOR', 'PAUSE', 'GDTR_IDTR', 'LDTR_TR', 'INVEPT', 'RDTSCP', 'INVVPID', 'WBINVD', 'XSETBV',
  'RDRAND', 'INVPCID', 'ENCLS', 'RDSEED', 'XSAVES', 'XRSTORS',
] as const).map((n) => EXIT_REASON[n]));
/** Interruption types (bits 10:8 of the exit-interruption and IDT-vectoring information) that come
 *  from an instruction: software interrupt (INT n), privileged software exception (INT1),
 *  software exception (INT3, INTO). */
const SOFTWARE_EVENT = new Set([4, 5, 6]);
const softwareEvent = (info: number) => (info >>> 31) === 1 && SOFTWARE_EVENT.has((info >>> 8) & 7);
/** Whether VM_EXIT_INSTRUCTION_LEN is defined for an exit (SDM "Information for VM Exits Due to
 *  Instruction Execution"): exits caused by an instruction, software exceptions, a task switch by
 *  CALL/IRET/JMP (qualification bits 31:30 < 3), and exits during the delivery of a software
 *  interrupt or exception (IDT-vectoring information). For every other exit it is undefined. */
export function exitInstrLenDefined(reason: number, x: { intrInfo?: number; idtInfo?: number; qualification?: number } = {}): boolean {
  if (INSTRUCTION_EXITS.has(reason)) return true;
  if (reason === EXIT_REASON.EXCEPTION_NMI && softwareEvent(x.intrInfo ?? 0)) return true;
  if (reason === EXIT_REASON.TASK_SWITCH && ((x.qualification ?? 0) >>> 30) < 3) return true;
  return softwareEvent(x.idtInfo ?? 0);
}
/** Exit-reason bit 31: VM-entry failure. */
export const EXIT_REASON_ENTRY_FAIL = 0x80000000;

/** VMCS field encodings, by group (SDM "Field Encoding in VMCS"; vtx-facts.md §5). */
export const VMCS_GROUPS = {
  control: {
    VIRTUAL_PROCESSOR_ID: 0x0000, MSR_BITMAP: 0x2004, TSC_OFFSET: 0x2010, EPT_POINTER: 0x201a,
    PIN_BASED_VM_EXEC_CONTROL: 0x4000, CPU_BASED_VM_EXEC_CONTROL: 0x4002, EXCEPTION_BITMAP: 0x4004,
    PAGE_FAULT_ERROR_CODE_MASK: 0x4006, PAGE_FAULT_ERROR_CODE_MATCH: 0x4008, CR3_TARGET_COUNT: 0x400a,
    SECONDARY_VM_EXEC_CONTROL: 0x401e, CR0_GUEST_HOST_MASK: 0x6000, CR4_GUEST_HOST_MASK: 0x6002,
    CR0_READ_SHADOW: 0x6004, CR4_READ_SHADOW: 0x6006, CR3_TARGET_VALUE0: 0x6008, CR3_TARGET_VALUE1: 0x600a,
    CR3_TARGET_VALUE2: 0x600c, CR3_TARGET_VALUE3: 0x600e,
  },
  exit: { VM_EXIT_CONTROLS: 0x400c, VM_EXIT_MSR_STORE_COUNT: 0x400e, VM_EXIT_MSR_LOAD_COUNT: 0x4010 },
  entry: {
    VM_ENTRY_CONTROLS: 0x4012, VM_ENTRY_MSR_LOAD_COUNT: 0x4014, VM_ENTRY_INTR_INFO_FIELD: 0x4016,
    VM_ENTRY_EXCEPTION_ERROR_CODE: 0x4018, VM_ENTRY_INSTRUCTION_LEN: 0x401a,
  },
  guest: {
    GUEST_CS_SELECTOR: 0x0802, GUEST_SS_SELECTOR: 0x0804, GUEST_TR_SELECTOR: 0x080e,
    VMCS_LINK_POINTER: 0x2800, GUEST_IA32_EFER: 0x2806, GUEST_IDTR_LIMIT: 0x4812,
    GUEST_CS_AR_BYTES: 0x4816, GUEST_INTERRUPTIBILITY_INFO: 0x4824, GUEST_ACTIVITY_STATE: 0x4826,
    GUEST_CR0: 0x6800, GUEST_CR3: 0x6802, GUEST_CR4: 0x6804, GUEST_FS_BASE: 0x680e,
    GUEST_GS_BASE: 0x6810, GUEST_TR_BASE: 0x6814, GUEST_GDTR_BASE: 0x6816, GUEST_IDTR_BASE: 0x6818,
    GUEST_RSP: 0x681c, GUEST_RIP: 0x681e, GUEST_RFLAGS: 0x6820,
  },
  host: {
    HOST_CS_SELECTOR: 0x0c02, HOST_SS_SELECTOR: 0x0c04, HOST_TR_SELECTOR: 0x0c0c, HOST_IA32_EFER: 0x2c02,
    HOST_CR0: 0x6c00, HOST_CR3: 0x6c02, HOST_CR4: 0x6c04, HOST_FS_BASE: 0x6c06, HOST_GS_BASE: 0x6c08,
    HOST_TR_BASE: 0x6c0a, HOST_GDTR_BASE: 0x6c0c, HOST_IDTR_BASE: 0x6c0e, HOST_RSP: 0x6c14, HOST_RIP: 0x6c16,
  },
  info: {
    GUEST_PHYSICAL_ADDRESS: 0x2400, VM_INSTRUCTION_ERROR: 0x4400, VM_EXIT_REASON: 0x4402,
    VM_EXIT_INTR_INFO: 0x4404, VM_EXIT_INTR_ERROR_CODE: 0x4406, IDT_VECTORING_INFO_FIELD: 0x4408,
    IDT_VECTORING_ERROR_CODE: 0x440a, VM_EXIT_INSTRUCTION_LEN: 0x440c, VMX_INSTRUCTION_INFO: 0x440e,
    EXIT_QUALIFICATION: 0x6400, GUEST_LINEAR_ADDRESS: 0x640a,
  },
} as const;
export type VmcsGroup = keyof typeof VMCS_GROUPS;
export type VmcsFieldName = { [G in VmcsGroup]: keyof (typeof VMCS_GROUPS)[G] }[VmcsGroup];
/** Every field by name (encoding), flattened across groups. */
export const VMCS: Readonly<Record<VmcsFieldName, number>> = Object.assign({},
  ...Object.values(VMCS_GROUPS)) as Record<VmcsFieldName, number>;
export const VMCS_FIELD_NAME: Readonly<Record<number, VmcsFieldName>> = Object.fromEntries(
  Object.entries(VMCS).map(([k, v]) => [v, k as VmcsFieldName]));
/** Encoding bits 11:10: 1 = read-only VM-exit information. */
export const vmcsIsReadOnly = (enc: number) => ((enc >> 10) & 3) === 1;
/** Encoding bits 14:13: 0 16-bit, 1 64-bit, 2 32-bit, 3 natural width. */
export const vmcsWidth = (enc: number) => (['16', '64', '32', 'natural'] as const)[(enc >> 13) & 3];

export const PIN = { EXT_INTR_EXITING: 1 << 0, NMI_EXITING: 1 << 3, VIRTUAL_NMIS: 1 << 5 } as const;
export const PROC = {
  INTR_WINDOW_EXITING: 1 << 2, USE_TSC_OFFSETTING: 1 << 3, HLT_EXITING: 1 << 7, INVLPG_EXITING: 1 << 9,
  MWAIT_EXITING: 1 << 10, RDPMC_EXITING: 1 << 11, RDTSC_EXITING: 1 << 12, CR3_LOAD_EXITING: 1 << 15,
  CR3_STORE_EXITING: 1 << 16, CR8_LOAD_EXITING: 1 << 19, CR8_STORE_EXITING: 1 << 20,
  MOV_DR_EXITING: 1 << 23, UNCOND_IO_EXITING: 1 << 24, USE_MSR_BITMAPS: 1 << 28,
  MONITOR_EXITING: 1 << 29, PAUSE_EXITING: 1 << 30, ACTIVATE_SECONDARY_CONTROLS: 2 ** 31,
} as const;
export const PROC2 = {
  ENABLE_EPT: 1 << 1, DESC_TABLE_EXITING: 1 << 2, ENABLE_RDTSCP: 1 << 3, ENABLE_VPID: 1 << 5,
  WBINVD_EXITING: 1 << 6, UNRESTRICTED_GUEST: 1 << 7, ENABLE_INVPCID: 1 << 12,
} as const;
export const EXIT_CTL = { HOST_ADDR_SPACE_SIZE: 1 << 9, ACK_INTR_ON_EXIT: 1 << 15, SAVE_EFER: 1 << 20, LOAD_EFER: 1 << 21 } as const;
export const ENTRY_CTL = { IA32E_MODE: 1 << 9, LOAD_EFER: 1 << 15 } as const;

/** VM-instruction error numbers (VMCS 0x4400). */
export const VM_INSTR_ERROR = {
  VMCALL_IN_ROOT: 1, VMLAUNCH_NONCLEAR: 4, VMRESUME_NONLAUNCHED: 5, INVALID_CONTROL_FIELD: 7,
  INVALID_HOST_STATE: 8, VMWRITE_READONLY: 13, INVALID_INVEPT_INVVPID: 28,
} as const;

/** EPT-violation exit qualification bits (SDM "Exit Qualification for EPT Violations"). */
export const EPT_QUAL = {
  READ: 1 << 0, WRITE: 1 << 1, FETCH: 1 << 2, READABLE: 1 << 3, WRITABLE: 1 << 4, EXECUTABLE: 1 << 5,
  GLA_VALID: 1 << 7, GLA_TRANSLATED: 1 << 8,
} as const;

/** Interruption-information format (fields 0x4404, 0x4016). */
export const INTR_INFO = { VALID: 2 ** 31, ERR_VALID: 1 << 11, TYPE_EXT_INTR: 0, TYPE_NMI: 2, TYPE_HW_EXC: 3, TYPE_SW_INTR: 4, TYPE_SW_EXC: 6 } as const;

/** INVEPT / INVVPID types. */
export const INVEPT_TYPE = { SINGLE_CONTEXT: 1, ALL_CONTEXT: 2 } as const;
export const INVVPID_TYPE = { INDIVIDUAL_ADDR: 0, SINGLE_CONTEXT: 1, ALL_CONTEXT: 2, SINGLE_CONTEXT_RETAIN_GLOBALS: 3 } as const;
