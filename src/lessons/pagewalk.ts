// Lesson: "The two-dimensional page walk". Engine identifiers: mmu/mmu.ts walkOnce and
// eptTranslate (the 24 references), mmu/tlb.ts, kernel/dune/eptfault.ts (the lazy EPT fill).

import type { Lesson } from './types.ts';

const PROGRAM = `; Touch one page twice, then a neighbour, in Dune mode.
.bss
.align 4096
buf: .zero 8192
.text
_start:
    call dune_init_and_enter
    mov rax, [buf]             ; first touch: EPT violation, then a 2-D walk
    mov rax, [buf + 8]         ; same page: a TLB hit, no walk
    mov rax, [buf + 4096]      ; the next page: another walk
    mov rdi, 0
    call exit
`;

export const pageWalk: Lesson = {
  id: 'pagewalk',
  title: 'The two-dimensional page walk',
  summary: 'Why a TLB miss in a Dune process reads 24 entries, what the TLB and the paging-structure caches save, and what the EPT violation on first touch does.',
  steps: [
    {
      id: 'violation', title: 'First touch: an EPT violation',
      text: ['The module starts the process with an empty EPT. The first access to a guest-physical page that has no EPT entry causes an EPT violation (exit reason 48).',
        'The exit qualification says what was accessed (bit 0 read, 1 write, 2 fetch), whether the guest linear address is valid (bit 7) and whether the access was to the final address or to a guest page-table entry (bit 8). The module asks Linux for the page (get_user_pages), fills the EPT entry and resumes.'],
      program: { source: PROGRAM, knobs: { psc: 'off' } }, goTo: { type: 'vmexit', name: 'EPT_VIOLATION', fromStart: true }, show: ['vmcs', 'walk', 'timeline', 'privilege'],
    },
    {
      id: 'grid', title: '24 references',
      text: ['With the paging-structure caches switched off (`--set psc=off`), a TLB miss walks the whole grid: each of the 4 guest page-table entries lives at a guest-physical address that must itself be translated by a 4-level EPT walk (4 x 4 = 16 EPT reads + 4 guest reads), and then the final guest-physical address needs one more EPT walk (4 reads): 24 in all, against 4 natively.',
        'Step through the cells in hardware order in the address-translation panel.'],
      goTo: { type: 'walk', vmx: 'non-root', refs: 24, fromStart: true }, show: ['walk', 'tlb', 'timeline'],
    },
    {
      id: 'tlb', title: 'The TLB remembers the combined translation',
      text: ['The walk filled a TLB entry tagged with the VPID, the PCID and the EPT root: the next access to the same page translates without reading any entry.'],
      goTo: { type: 'tlb' }, show: ['tlb', 'walk', 'timeline'],
    },
    {
      id: 'psc', title: 'What the caches save',
      text: ['Run the same program with the paging-structure caches on (the default). Caches of upper-level entries, in both dimensions, let most walks start near the bottom of the grid: a walk for a neighbouring page reads only a few entries.'],
      program: { source: PROGRAM }, goTo: { type: 'walk', vmx: 'non-root', maxRefs: 6, fromStart: true }, show: ['walk', 'tlb', 'timeline'],
    },
  ],
};
