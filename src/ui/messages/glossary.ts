// The glossary: short explanations of the jargon the panels use (shown on hover/focus and in the
// glossary panel). Keyed by the term as the panels print it; English, like the rest of the catalog.

export const glossary = {
  title: 'Glossary',
  help: 'The terms the panels use. Hover or focus a dotted term anywhere on the page for its line here.',
  terms: {
    'VMX root': 'The mode the host (Linux and the Dune module) runs in: full control of the machine.',
    'VMX non-root': 'The mode a guest runs in under VT-x: sensitive operations cause VM exits to the root.',
    'VM exit': 'A switch from VMX non-root to root: the CPU saves the guest state in the VMCS and loads the host state.',
    'VM entry': 'VMLAUNCH or VMRESUME: the CPU loads the guest state from the VMCS and runs the guest in non-root.',
    VMCS: 'Virtual-machine control structure: the guest state, host state, controls and exit information of one vCPU.',
    VMCALL: 'The instruction a guest uses to call the hypervisor; Dune turns system calls into VMCALLs (exit reason 18).',
    EPT: 'Extended page tables: the second translation, guest-physical to host-physical, walked by the hardware.',
    EPT_VIOLATION: 'A VM exit (reason 48) because the EPT has no entry, or the wrong permissions, for a guest-physical access.',
    'EPT tag': 'The EPT root (EP4TA) a TLB entry was filled under: entries of different EPTs never match each other.',
    VPID: 'Virtual-processor identifier: tags TLB entries so VM entries and exits need not flush the TLB (0 is the host).',
    PCID: 'Process-context identifier: tags TLB entries by address space so a CR3 write need not flush them all.',
    TLB: 'Translation lookaside buffer: cached translations (linear page to host-physical frame) with their tags.',
    PSC: 'Paging-structure caches: cached upper-level entries that let a walk skip reads (a "PSC hit").',
    'A/D': 'Accessed and dirty bits: set by the hardware in a page-table entry when the page is read or written.',
    'gL4–gL1': 'The guest page-table levels (PML4, PDPT, PD, PT), each at a guest-physical address.',
    'nL4–nL1': 'The EPT ("nested") levels walked to translate one guest-physical address.',
    GPA: 'Guest-physical address: what the guest thinks is physical; the EPT maps it to a host-physical address (HPA).',
    HPA: 'Host-physical address: a real address in the machine\'s memory.',
    CPL: 'Current privilege level: ring 0 (kernel) or ring 3 (user), in either VMX mode.',
    'exit qualification': 'Extra detail the CPU saves on some exits (e.g. which access an EPT violation was).',
    modelled: 'Computed by this simulator\'s cost model (docs/cost-model.md), calibrated to the paper\'s figures.',
    paper: 'The figure the Dune paper reports (OSDI 2012, Tables 2 and 3).',
  } as Record<string, string>,
  /** A term as a translation prints it, where that differs from the key (the English term). */
  names: {} as Record<string, string>,
} as const;
