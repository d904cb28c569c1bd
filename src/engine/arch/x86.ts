// x86-64 architectural numbers: exception vectors, #PF error code, paging and EPT entry bits,
// control-register bits, MSRs. Source: Intel SDM Vol. 3A "Paging", "Interrupt and Exception
// Handling"; Vol. 3C "EPT" (via ../shared/reference/vtx-facts.md §2, §3).

export const VEC = { DE: 0, DB: 1, NMI: 2, BP: 3, OF: 4, BR: 5, UD: 6, NM: 7, DF: 8, TS: 10, NP: 11, SS: 12, GP: 13, PF: 14, MF: 16, AC: 17, MC: 18 } as const;
export const VEC_NAME: Readonly<Record<number, string>> = {
  0: '#DE', 1: '#DB', 2: 'NMI', 3: '#BP', 4: '#OF', 5: '#BR', 6: '#UD', 7: '#NM', 8: '#DF',
  10: '#TS', 11: '#NP', 12: '#SS', 13: '#GP', 14: '#PF', 16: '#MF', 17: '#AC', 18: '#MC',
};
/** Exceptions that push an error code (SDM "Exceptions and Interrupts Reference"). */
export const VEC_HAS_ERROR = new Set<number>([8, 10, 11, 12, 13, 14, 17]);

/** #PF error code bits. */
export const PFEC = { P: 1, W: 2, U: 4, RSVD: 8, I: 16 } as const;

/** 4-level paging entry bits (low 32 bits; NX is bit 63 = bit 31 of the high word). */
export const PTE = { P: 1, RW: 2, US: 4, PWT: 8, PCD: 16, A: 32, D: 64, PS: 128, G: 256 } as const;
export const PTE_NX_HI = 0x80000000;
/** Physical-address bits of an entry: 51:12. */
export const ADDR_LO_MASK = 0xfffff000, ADDR_HI_MASK = 0x000fffff;

/** EPT entry bits. */
export const EPTE = { R: 1, W: 2, X: 4, MT_SHIFT: 3, IPAT: 64, LARGE: 128, A: 256, D: 512 } as const;
export const EPT_MT = { UC: 0, WC: 1, WT: 4, WP: 5, WB: 6 } as const;
/** EPTP bits: 2:0 memory type, 5:3 walk length - 1, 6 A/D enable. */
export const EPTP = { MT_WB: 6, PWL4: 3 << 3, AD: 1 << 6 } as const;

export const CR0 = { PE: 1, MP: 2, ET: 16, NE: 32, WP: 1 << 16, PG: 2 ** 31 } as const;
export const CR4 = { PAE: 1 << 5, PGE: 1 << 7, OSFXSR: 1 << 9, OSXMMEXCPT: 1 << 10, VMXE: 1 << 13, FSGSBASE: 1 << 16, PCIDE: 1 << 17, OSXSAVE: 1 << 18, SMEP: 1 << 20 } as const;
export const EFER = { SCE: 1, LME: 1 << 8, LMA: 1 << 10, NXE: 1 << 11, FFXSR: 1 << 14 } as const;
export const RFLAGS = { CF: 1, FIXED: 2, PF: 1 << 2, AF: 1 << 4, ZF: 1 << 6, SF: 1 << 7, TF: 1 << 8, IF: 1 << 9, DF: 1 << 10, OF: 1 << 11, IOPL: 3 << 12, NT: 1 << 14, RF: 1 << 16, VM: 1 << 17, AC: 1 << 18, VIF: 1 << 19, VIP: 1 << 20, ID: 1 << 21 } as const;

export const MSR = {
  IA32_TIME_STAMP_COUNTER: 0x10, IA32_FEATURE_CONTROL: 0x3a, IA32_VMX_BASIC: 0x480,
  IA32_VMX_EPT_VPID_CAP: 0x48c, IA32_EFER: 0xc0000080, IA32_STAR: 0xc0000081,
  IA32_LSTAR: 0xc0000082, IA32_FMASK: 0xc0000084, IA32_FS_BASE: 0xc0000100,
  IA32_GS_BASE: 0xc0000101, IA32_KERNEL_GS_BASE: 0xc0000102,
} as const;
export const MSR_NAME: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(MSR).map(([k, v]) => [v, k]));

/** Linux's segment selectors (arch/x86/include/asm/segment.h); libdune's GDT matches them. */
export const SEL = { KERNEL_CS: 0x10, KERNEL_DS: 0x18, USER_DS: 0x2b, USER_CS: 0x33 } as const;
