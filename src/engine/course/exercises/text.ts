// The exercises' words as keys with parameters: the engine says what to say (a key and the
// figures), each language says it. The CLI prints the English below, byte for byte as before; the
// page renders the same key in the UI's language (src/ui/messages: exercise). World: pure data.

export type Params = Record<string, string | number>;
/** One sentence: a key of EXERCISE_TEXT and the values it names. */
export interface Text { key: TextKey; params: Params }

const s = (v: string | number | undefined) => String(v ?? '');
const plural = (k: number, one: string) => `${k} ${one}${k > 1 ? 's' : ''}`;

/** The choices a problem names (instructions, events, places), by id. */
export const CHOICE_TEXT = {
  cpuid: 'cpuid',
  rdtsc: 'rdtsc',
  'read-cr3': 'mov rax, cr3',
  'write-cr3': 'mov cr3, rax (the same root)',
  invlpg: 'invlpg [buf]',
  vmcall: 'vmcall (rax = SYS_getpid)',
  'first-read': 'a first read of a page the EPT has not seen',
  'second-read': 'a second read of the same page',
  'pf-handler': 'a #PF in a Dune process that registered a page-fault handler',
  'pf-linux': 'a #PF in a Linux process (a PROT_NONE page)',
  'first-write': 'the first write to a page the EPT has not seen, in a Dune process',
  'syscall-linux': 'SYSCALL from a Linux process',
  'vmcall-dune': 'VMCALL from a Dune process',
} as const;
export type ChoiceId = keyof typeof CHOICE_TEXT;
const c = (id: string | number | undefined) => CHOICE_TEXT[s(id) as ChoiceId] ?? s(id);
/** The item numbers 1..N of a list named i1..iN in params. */
export const items = (p: Params) => Object.keys(p).filter((k) => /^i\d+$/.test(k)).map((k) => Number(k.slice(1))).sort((a, b) => a - b);

/** Every sentence the exercises print, in English (the CLI's language). */
export const EXERCISE_TEXT = {
  // Titles of the kinds
  'walk-refs.title': () => 'How many references does this TLB miss read?',
  'which-exit.title': () => 'Which exit does this instruction cause in Dune?',
  'pf-error-code.title': () => 'The #PF error code of this access',
  'cr3-flush.title': () => 'Does this MOV CR3 flush, and what?',
  'hypercall-cost.title': () => 'How many cycles does this hypercall cost, and why?',
  'translate.title': () => 'gVA to gPA to hPA',
  'exit-set.title': () => 'Which of these instructions exit in Dune?',
  'which-world.title': () => 'Which world handles this event?',

  // walk-refs
  'walk-refs.prompt': (p: Params) => `A Dune process reads buf, then buf + ${Number(p.pages) * 4096} (${plural(Number(p.pages), 'page')} on), with psc=${s(p.psc)} and hugepages=${s(p.hugepages)}. Once the EPT has the new page, how many entries does the TLB miss for buf + ${Number(p.pages) * 4096} read?`,
  'walk-refs.explanation': (p: Params) => `The walk for ${s(p.va)} read ${s(p.refs)} entries: ${s(p.guest)} of the guest page table and ${s(p.ept)} of the EPT (psc=${s(p.psc)}, hugepages=${s(p.hugepages)}).`,
  'walk-refs.hint': () => 'Count the cells of the walk grid: each guest entry needs an EPT walk of its own, and so does the final address; the caches and big pages remove rows and columns.',
  // which-exit
  'which-exit.prompt': (p: Params) => `In a Dune process (VMX non-root, ring 0), which VM exit does ${c(p.choice)} cause? Answer with the exit's name (VMCALL, CPUID, EPT_VIOLATION, ...) or "none".`,
  'which-exit.exits': (p: Params) => `It exits with reason ${s(p.reason)} (${s(p.name)}).`,
  'which-exit.none': () => 'It runs in the guest: the module did not ask for it to exit, and nothing it touches is missing from the EPT.',
  'which-exit.hint': () => 'Look at the VM-execution controls and the exception bitmap: an instruction exits only if a control asks for it (VMCALL always does), and an access exits only if the EPT has no entry for it.',
  // pf-error-code
  'pf-error-code.prompt': (p: Params) => `In ${p.world === 'linux' ? 'a Linux process (ring 3)' : 'a Dune process (ring 0)'}, the page is ${p.page === 'read-only' ? 'mapped read-only' : 'not present'} and the program ${p.access === 'write' ? 'writes' : 'reads'} it. What is the #PF error code?`,
  'pf-error-code.explanation': (p: Params) => { const k = Number(p.code); return `Error code ${k}: P=${k & 1} (${k & 1 ? 'a protection violation on a present page' : 'the page is not present'}), W=${(k >> 1) & 1} (${k & 2 ? 'a write' : 'a read'}), U=${(k >> 2) & 1} (${k & 4 ? 'from ring 3' : 'from ring 0'}).`; },
  'pf-error-code.hint': () => 'Bit 0 is set when the page was present, bit 1 for a write, bit 2 when the access came from ring 3: where does this program run?',
  // cr3-flush
  'cr3-flush.prompt': (p: Params) => `A Dune process (CR4.PCIDE=1, running with PCID 0) loads CR3 with the same root, PCID ${s(p.pcid)}${Number(p.bit63) ? ' and bit 63 set' : ''}. Does the TLB get flushed? Answer "flush" or "noflush".`,
  'cr3-flush.flush': (p: Params) => `It invalidates the entries of PCID ${s(p.pcid)} (${s(p.entries)} of them here), except global ones; other PCIDs keep theirs.`,
  'cr3-flush.noflush': (p: Params) => `Bit 63 is set: the entries of PCID ${s(p.pcid)} are kept, nothing is invalidated.`,
  'cr3-flush.hint': () => 'With CR4.PCIDE set, MOV to CR3 invalidates only the new PCID\'s entries, and not even those when bit 63 of the source is set.',
  // hypercall-cost
  'hypercall-cost.prompt': (p: Params) => `A Dune process issues ${s(p.syscall)} with VMCALL a second time (warm). How many cycles does the round trip take, from the VM exit to the end of the VM entry? (Within 10%.)`,
  'hypercall-cost.explanation': (p: Params) => `The exit costs ${s(p.exit)} cycles, the entry ${s(p.entry)}, and the module's handler in VMX root ${s(p.handler)} (dispatch, vmx_handle_syscall, ${s(p.syscall)}).`,
  'hypercall-cost.hint': () => 'Add the world switch out, the handler in VMX root and the switch back: the cycles column of the VM exit and the VM entry after it.',
  // translate
  'translate.prompt': (p: Params) => `A Dune process maps 16 KiB with mmap and writes to offset ${s(p.offset)} (0x${Number(p.offset).toString(16)}) of it. Give the guest-physical and the host-physical address of that write, as "GPA HPA".`,
  'translate.explanation': (p: Params) => `The guest page table maps ${s(p.va)} to guest-physical ${s(p.gpa)} (the mmap window of the compressed layout); the EPT, filled on the violation, maps that to host-physical ${s(p.hpa)}.`,
  'translate.hint': () => 'Follow the walk grid: the guest entries give the guest-physical address, the last EPT walk gives the host-physical one.',
  // exit-set
  // exit-set: i1..iN name the instructions (choice ids), e1..eN the exit each one caused, if any.
  'exit-set.prompt': (p: Params) => `A Dune process (VMX non-root, ring 0) runs, in order: ${items(p).map((j) => `(${j}) ${c(p[`i${j}`])}`).join('; ')}. Which of them cause a VM exit? Answer with their numbers, or "none".`,
  'exit-set.explanation': (p: Params) => `${items(p).filter((j) => p[`e${j}`] !== undefined).map((j) => `(${j}) exits with ${s(p[`e${j}`])}`).join('; ')}; the others run in the guest.`,
  'exit-set.none': () => 'None of them exits: each runs in the guest.',
  'exit-set.hint': () => 'Only what a VM-execution control asks for exits (VMCALL always; CPUID unconditionally), and an access only when the EPT lacks its page.',
  // which-world
  'which-world.prompt': (p: Params) => `Who handles ${c(p.choice)}: the process itself (guest ring 0), the Dune module (VMX root, after a VM exit), or the host kernel (VMX root, no VM exit)? Answer "process", "module" or "kernel".`,
  'which-world.nothing': () => 'Nothing hands control anywhere.',
  'which-world.vmexit': (p: Params) => `A VM exit (${s(p.name)}) hands it to the Dune module in VMX root.`,
  'which-world.pf': (p: Params) => `The #PF goes to ${p.to === 'guest-idt' ? "the process's own IDT, in VMX non-root ring 0" : 'the host kernel'}.`,
  'which-world.syscall': () => 'SYSCALL enters ring 0 of the same VMX mode: the kernel, for a Linux process.',
  'which-world.hint': () => 'Follow the arrow on the privilege map: an exception stays in VMX non-root unless the exception bitmap says otherwise, and only a VM exit reaches the module.',

  // How to write the answers
  'format.number': () => 'a number',
  'format.exit': () => 'an exit name, or none',
  'format.code': () => 'a number (decimal or 0x hex)',
  'format.flush': () => 'flush or noflush',
  'format.cycles': () => 'a number of cycles',
  'format.addresses': () => 'two hex addresses: GPA HPA',
  'format.numbers': () => 'numbers such as "1 3", or none',
  'format.world': () => 'process, module or kernel',
} satisfies Record<string, (p: Params) => string>;
export type TextKey = keyof typeof EXERCISE_TEXT;

/** A sentence in English. */
export function english(t: Text): string {
  return EXERCISE_TEXT[t.key](t.params);
}
export const text = (key: TextKey, params: Params = {}): Text => ({ key, params });
