// The exercise kinds: each generates a problem from a seeded PRNG and solves it by running the
// engine on the problem's program and reading the deciding event. The student predicts first;
// the app then shows that event. World: above the engine.

import { decide, symbolHex } from './run.ts';
import type { Rng } from './seed.ts';
import { EXERCISE_KINDS, type ExerciseKind } from './ids.ts';

export interface Problem {
  kind: string; seed: string;
  /** The question, in English (the CLI's language); params carry every figure it names. */
  prompt: string; params: Record<string, string | number>;
  /** The program that decides it, and its knobs. */
  program: string; knobs: Record<string, string>;
  /** How to write the answer. */
  format: string;
}
export interface Solution {
  answer: string;
  /** The event that decides it (seq in the run of program with knobs), and why. */
  event: number | null; explanation: string;
  /** For a wrong answer: where to look (a panel id) and what to look for. */
  hint: { panel: string; text: string };
}
export interface Kind {
  id: ExerciseKind; title: string;
  generate(r: Rng): Omit<Problem, 'kind' | 'seed'>;
  solve(p: Problem): Solution;
  /** Is the student's answer the same as the answer? */
  same(given: string, answer: string): boolean;
}

const words = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const num = (s: string) => { const t = s.trim().toLowerCase().replace(/[_,]/g, ''); return /^0x[0-9a-f]+$/.test(t) ? Number.parseInt(t, 16) : /^-?\d+$/.test(t) ? Number(t) : NaN; };
const sameNumber = (g: string, a: string) => !Number.isNaN(num(g)) && num(g) === num(a);
const DUNE = (body: string, data = '') => `${data ? `${data}\n` : ''}.text\n_start:\n    call dune_init_and_enter\n${body}\n    mov rdi, 0\n    call exit\n`;

const walkRefs: Kind = {
  id: 'walk-refs', title: 'How many references does this TLB miss read?',
  generate(r) {
    const psc = r.pick(['on', 'off'] as const), hugepages = r.pick(['off', 'on'] as const), k = 1 + r.int(6);
    const program = DUNE(`    mov rax, [buf]\n    mov rax, [buf + ${k * 4096}]`, `.bss\n.align 4096\nbuf: .zero ${(k + 1) * 4096}`);
    return { prompt: `A Dune process reads buf, then buf + ${k * 4096} (${k} page${k > 1 ? 's' : ''} on), with psc=${psc} and hugepages=${hugepages}. Once the EPT has the new page, how many entries does the TLB miss for buf + ${k * 4096} read?`,
      params: { pages: k, psc, hugepages }, program, knobs: { psc, hugepages }, format: 'a number' };
  },
  solve(p) {
    const va = '0x' + (BigInt(symbolHex(p.program, 'buf')) + BigInt(Number(p.params.pages) * 4096)).toString(16);
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov rax, [buf]' }, { type: 'walk', fault: null, va }]);
    const v = d.values;
    return { answer: String(v['walk.refs']), event: d.event?.seq ?? null,
      explanation: `The walk for ${va} read ${v['walk.refs']} entries: ${v['walk.guest']} of the guest page table and ${v['walk.ept']} of the EPT (psc=${p.knobs.psc}, hugepages=${p.knobs.hugepages}).`,
      hint: { panel: 'walk', text: 'Count the cells of the walk grid: each guest entry needs an EPT walk of its own, and so does the final address; the caches and big pages remove rows and columns.' } };
  },
  same: sameNumber,
};

const EXIT_CHOICES = [
  { text: 'cpuid', asm: '    cpuid' },
  { text: 'rdtsc', asm: '    rdtsc' },
  { text: 'mov rax, cr3', asm: '    mov rax, cr3' },
  { text: 'mov cr3, rax (the same root)', asm: '    mov rax, cr3\n    mov cr3, rax' },
  { text: 'invlpg [buf]', asm: '    invlpg [buf]' },
  { text: 'vmcall (rax = SYS_getpid)', asm: '    mov rax, SYS_getpid\n    vmcall' },
  { text: 'a first read of a page the EPT has not seen', asm: '    mov rax, [buf + 4096]' },
  { text: 'a second read of the same page', asm: '    mov rax, [buf]' },
] as const;

const whichExit: Kind = {
  id: 'which-exit', title: 'Which exit does this instruction cause in Dune?',
  generate(r) {
    const c = r.pick(EXIT_CHOICES);
    const program = DUNE(`    mov rax, [buf]\n    mov r15, 1\n${c.asm}\n    mov r15, 2`, `.bss\n.align 4096\nbuf: .zero 8192`);
    return { prompt: `In a Dune process (VMX non-root, ring 0), which VM exit does ${c.text} cause? Answer with the exit's name (VMCALL, CPUID, EPT_VIOLATION, ...) or "none".`,
      params: { instruction: c.text }, program, knobs: {}, format: 'an exit name, or none' };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'instr', text: 'mov r15, 2' }], true);
    const exits = d.events.filter((e) => e.type === 'vmexit');
    const first = exits[0];
    const answer = first?.type === 'vmexit' ? first.name : 'none';
    return { answer, event: first?.seq ?? d.event?.seq ?? null,
      explanation: first?.type === 'vmexit' ? `It exits with reason ${first.reason} (${first.name}).` : 'It runs in the guest: the module did not ask for it to exit, and nothing it touches is missing from the EPT.',
      hint: { panel: 'vmcs', text: 'Look at the VM-execution controls and the exception bitmap: an instruction exits only if a control asks for it (VMCALL always does), and an access exits only if the EPT has no entry for it.' } };
  },
  same: (g, a) => words(g) === words(a),
};

const pfErrorCode: Kind = {
  id: 'pf-error-code', title: 'The #PF error code of this access',
  generate(r) {
    const world = r.pick(['linux', 'dune'] as const);
    const write = r.pick([false, true]);
    const present = write ? r.pick([false, true]) : false; // a read of a read-only page does not fault
    const access = write ? 'mov qword ptr [victim], 1' : 'mov rax, [victim]';
    let program: string;
    if (world === 'linux') {
      program = `.bss\n.align 4096\nvictim: .zero 4096\n.text\n_start:\n    mov rdi, SIGSEGV\n    mov rsi, handler\n    call signal\n    mov rax, SYS_mprotect\n    lea rdi, [victim]\n    mov rsi, 4096\n    mov rdx, ${present ? 'PROT_READ' : 'PROT_NONE'}\n    syscall\n    mov r15, 1\n    ${access}\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\nhandler:\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n`;
    } else {
      program = `.bss\n.align 4096\nvictim: .zero 4096\n.text\n_start:\n    call dune_init_and_enter\n    mov rdi, handler\n    call dune_register_pgflt_handler\n    mov rax, [victim]\n    mov rdi, [pgroot]\n    lea rsi, [victim]\n    mov rdx, 4096\n    mov rcx, ${present ? 'PERM_R' : '0'}\n    call dune_vm_mprotect\n    mov r15, 1\n    ${access}\n    mov rdi, 0\n    call exit\nhandler:\n    mov rdi, 0\n    call exit\n`;
    }
    const where = world === 'linux' ? 'a Linux process (ring 3)' : 'a Dune process (ring 0)';
    return { prompt: `In ${where}, the page is ${present ? 'mapped read-only' : 'not present'} and the program ${write ? 'writes' : 'reads'} it. What is the #PF error code?`,
      params: { world, access: write ? 'write' : 'read', page: present ? 'read-only' : 'not present' }, program, knobs: {}, format: 'a number (decimal or 0x hex)' };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'exception', name: '#PF' }]);
    const e = d.event?.type === 'exception' ? d.event : null;
    if (!e) throw new Error(`pf-error-code ${p.seed}: the access did not fault`);
    const c = e.errorCode ?? 0;
    return { answer: String(c), event: e.seq,
      explanation: `Error code ${c}: P=${c & 1} (${c & 1 ? 'a protection violation on a present page' : 'the page is not present'}), W=${(c >> 1) & 1} (${c & 2 ? 'a write' : 'a read'}), U=${(c >> 2) & 1} (${c & 4 ? 'from ring 3' : 'from ring 0'}).`,
      hint: { panel: 'cpu', text: 'Bit 0 is set when the page was present, bit 1 for a write, bit 2 when the access came from ring 3: where does this program run?' } };
  },
  same: sameNumber,
};

const cr3Flush: Kind = {
  id: 'cr3-flush', title: 'Does this MOV CR3 flush, and what?',
  generate(r) {
    const pcid = r.int(3), keep = r.pick([false, true]);
    const program = DUNE(`    mov rax, [buf]\n    mov rax, cr3\n    and rax, -4096\n    or rax, ${pcid}\n${keep ? '    mov rbx, 0x8000000000000000\n    or rax, rbx\n' : ''}    mov r15, 1\n    mov cr3, rax`, `.bss\n.align 4096\nbuf: .zero 4096`);
    return { prompt: `A Dune process (CR4.PCIDE=1, running with PCID 0) loads CR3 with the same root, PCID ${pcid}${keep ? ' and bit 63 set' : ''}. Does the TLB get flushed? Answer "flush" or "noflush".`,
      params: { pcid, bit63: keep ? 1 : 0 }, program, knobs: {}, format: 'flush or noflush' };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'tlb', vmx: 'non-root' }]);
    const e = d.event?.type === 'tlb' ? d.event : null;
    const answer = e?.op === 'flush' ? 'flush' : 'noflush';
    return { answer, event: e?.seq ?? null,
      explanation: e?.op === 'flush' ? `It invalidates the entries of PCID ${e.pcid} (${e.entries ?? 0} of them here), except global ones; other PCIDs keep theirs.` : `Bit 63 is set: the entries of PCID ${e?.pcid ?? p.params.pcid} are kept, nothing is invalidated.`,
      hint: { panel: 'tlb', text: 'With CR4.PCIDE set, MOV to CR3 invalidates only the new PCID\'s entries, and not even those when bit 63 of the source is set.' } };
  },
  same: (g, a) => words(g).replace(/[- ]/g, '') === a,
};

const HYPERCALLS = ['getpid', 'getppid', 'gettid'] as const;
const hypercallCost: Kind = {
  id: 'hypercall-cost', title: 'How many cycles does this hypercall cost, and why?',
  generate(r) {
    const name = r.pick(HYPERCALLS);
    const program = DUNE(`    mov rax, SYS_${name}\n    vmcall\n    mov r15, 1\n    mov rax, SYS_${name}\n    vmcall`);
    return { prompt: `A Dune process issues ${name} with VMCALL a second time (warm). How many cycles does the round trip take, from the VM exit to the end of the VM entry? (Within 10%.)`,
      params: { syscall: name }, program, knobs: {}, format: 'a number of cycles' };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'vmexit', name: 'VMCALL' }]);
    const v = d.values;
    return { answer: String(v['cost.roundTrip']), event: d.event?.seq ?? null,
      explanation: `The exit costs ${v['cost.exit']} cycles, the entry ${v['cost.entry']}, and the module's handler in VMX root ${v['cost.handler']} (dispatch, vmx_handle_syscall, ${p.params.syscall}).`,
      hint: { panel: 'timeline', text: 'Add the world switch out, the handler in VMX root and the switch back: the cycles column of the VM exit and the VM entry after it.' } };
  },
  same: (g, a) => { const x = num(g), y = num(a); return !Number.isNaN(x) && Math.abs(x - y) <= 0.1 * y; },
};

const translate: Kind = {
  id: 'translate', title: 'gVA to gPA to hPA',
  generate(r) {
    const page = r.int(4), off = 8 * r.int(512);
    const program = DUNE(`    mov rax, SYS_mmap\n    xor rdi, rdi\n    mov rsi, 16384\n    mov rdx, PROT_READ | PROT_WRITE\n    mov r10, MAP_PRIVATE | MAP_ANONYMOUS\n    mov r8, -1\n    xor r9, r9\n    vmcall\n    mov rbx, rax\n    mov r15, 1\n    mov qword ptr [rbx + ${page * 4096 + off}], 1`);
    return { prompt: `A Dune process maps 16 KiB with mmap and writes to offset ${page * 4096 + off} (0x${(page * 4096 + off).toString(16)}) of it. Give the guest-physical and the host-physical address of that write, as "GPA HPA".`,
      params: { offset: page * 4096 + off }, program, knobs: {}, format: 'two hex addresses: GPA HPA' };
  },
  solve(p) {
    // The write's own EPT violation (a write, bit 1, of the final address, bit 8) names the GPA;
    // the walk that completes after the fill gives the HPA.
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'vmexit', name: 'EPT_VIOLATION', bits: { qualification: { set: [1, 7, 8] } } }, { type: 'walk', fault: null }]);
    const x = d.matched[1], w = d.event;
    if (x?.type !== 'vmexit' || w?.type !== 'walk') throw new Error(`translate ${p.seed}: the write did not exit and complete`);
    return { answer: `${x.gpa} ${w.result}`, event: w.seq,
      explanation: `The guest page table maps ${w.va} to guest-physical ${x.gpa} (the mmap window of the compressed layout); the EPT, filled on the violation, maps that to host-physical ${w.result}.`,
      hint: { panel: 'walk', text: 'Follow the walk grid: the guest entries give the guest-physical address, the last EPT walk gives the host-physical one.' } };
  },
  same: (g, a) => { const x = g.trim().toLowerCase().split(/[\s,;>-]+/).filter(Boolean).map(num), y = a.split(' ').map(num); return x.length === 2 && x[0] === y[0] && x[1] === y[1]; },
};

const exitSet: Kind = {
  id: 'exit-set', title: 'Which of these instructions exit in Dune?',
  generate(r) {
    const pool = EXIT_CHOICES.map((_, i) => i);
    const picked: number[] = [];
    while (picked.length < 3) { const i = pool.splice(r.int(pool.length), 1)[0]; picked.push(i); }
    picked.sort((a, b) => a - b);
    const cs = picked.map((i) => EXIT_CHOICES[i]);
    const body = cs.map((c, j) => `    mov r15, ${j + 1}\n${c.asm}`).join('\n') + `\n    mov r15, ${cs.length + 1}`;
    const program = DUNE(`    mov rax, [buf]\n${body}`, `.bss\n.align 4096\nbuf: .zero 8192`);
    return { prompt: `A Dune process (VMX non-root, ring 0) runs, in order: ${cs.map((c, j) => `(${j + 1}) ${c.text}`).join('; ')}. Which of them cause a VM exit? Answer with their numbers, or "none".`,
      params: Object.fromEntries(cs.map((c, j) => [`i${j + 1}`, c.text])), program, knobs: {}, format: 'numbers such as "1 3", or none' };
  },
  solve(p) {
    const n = Object.keys(p.params).length;
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'instr', text: `mov r15, ${n + 1}` }], true);
    // Which marker each exit follows: the instruction between marker j and j + 1 caused it.
    let at = 0;
    const exits: { j: number; name: string; seq: number }[] = [];
    for (const e of d.events) {
      const m = e.type === 'instr' ? /^mov r15, (\d+)$/.exec(e.text) : null;
      if (m) at = Number(m[1]);
      else if (e.type === 'vmexit' && at >= 1 && at <= n) exits.push({ j: at, name: e.name, seq: e.seq });
    }
    const js = [...new Set(exits.map((x) => x.j))];
    return { answer: js.length ? js.join(' ') : 'none', event: exits[0]?.seq ?? d.event?.seq ?? null,
      explanation: js.length ? js.map((j) => `(${j}) exits with ${exits.find((x) => x.j === j)!.name}`).join('; ') + '; the others run in the guest.' : 'None of them exits: each runs in the guest.',
      hint: { panel: 'vmcs', text: 'Only what a VM-execution control asks for exits (VMCALL always; CPUID unconditionally), and an access only when the EPT lacks its page.' } };
  },
  same: (g, a) => { const norm = (s: string) => words(s) === 'none' ? 'none' : [...new Set(s.match(/\d+/g) ?? [])].map(Number).sort((x, y) => x - y).join(' '); return norm(g) === a; },
};

const WORLDS = [
  { text: 'a #PF in a Dune process that registered a page-fault handler', program: `.bss\n.align 4096\nvictim: .zero 4096\n.text\n_start:\n    call dune_init_and_enter\n    mov rdi, handler\n    call dune_register_pgflt_handler\n    mov rax, [victim]\n    mov rdi, [pgroot]\n    lea rsi, [victim]\n    mov rdx, 4096\n    xor rcx, rcx\n    call dune_vm_mprotect\n    mov r15, 1\n    mov rax, [victim]\n    mov rdi, 0\n    call exit\nhandler:\n    mov rdi, 0\n    call exit\n` },
  { text: 'a #PF in a Linux process (a PROT_NONE page)', program: `.bss\n.align 4096\nvictim: .zero 4096\n.text\n_start:\n    mov rax, SYS_mprotect\n    lea rdi, [victim]\n    mov rsi, 4096\n    mov rdx, PROT_NONE\n    syscall\n    mov r15, 1\n    mov rax, [victim]\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n` },
  { text: 'the first write to a page the EPT has not seen, in a Dune process', program: DUNE(`    mov r15, 1\n    mov qword ptr [buf], 1`, `.bss\n.align 4096\nbuf: .zero 4096`) },
  { text: 'SYSCALL from a Linux process', program: `.text\n_start:\n    mov r15, 1\n    mov rax, SYS_getpid\n    syscall\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n` },
  { text: 'VMCALL from a Dune process', program: DUNE(`    mov r15, 1\n    mov rax, SYS_getpid\n    vmcall`) },
] as const;

const whichWorld: Kind = {
  id: 'which-world', title: 'Which world handles this event?',
  generate(r) {
    const w = r.pick(WORLDS);
    return { prompt: `Who handles ${w.text}: the process itself (guest ring 0), the Dune module (VMX root, after a VM exit), or the host kernel (VMX root, no VM exit)? Answer "process", "module" or "kernel".`,
      params: { event: w.text }, program: w.program, knobs: {}, format: 'process, module or kernel' };
  },
  solve(p) {
    // The first event after the marker that hands control somewhere decides it.
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'exit' }], true);
    const e = d.events.find((x) => x.type === 'exception' || x.type === 'vmexit' || (x.type === 'ring' && x.via === 'syscall'));
    const answer = !e ? 'none' : e.type === 'vmexit' ? 'module' : e.type === 'exception' ? (e.to === 'guest-idt' ? 'process' : e.to === 'vmexit' ? 'module' : 'kernel') : e.vmx === 'non-root' ? 'process' : 'kernel';
    return { answer, event: e?.seq ?? null,
      explanation: !e ? 'Nothing hands control anywhere.' : e.type === 'vmexit' ? `A VM exit (${e.name}) hands it to the Dune module in VMX root.` : e.type === 'exception' ? `The #PF goes to ${e.to === 'guest-idt' ? "the process's own IDT, in VMX non-root ring 0" : 'the host kernel'}.` : 'SYSCALL enters ring 0 of the same VMX mode: the kernel, for a Linux process.',
      hint: { panel: 'privilege', text: 'Follow the arrow on the privilege map: an exception stays in VMX non-root unless the exception bitmap says otherwise, and only a VM exit reaches the module.' } };
  },
  same: (g, a) => words(g) === a,
};

const BY_ID: Record<ExerciseKind, Kind> = { 'walk-refs': walkRefs, 'which-exit': whichExit, 'pf-error-code': pfErrorCode, 'cr3-flush': cr3Flush, 'hypercall-cost': hypercallCost, translate, 'exit-set': exitSet, 'which-world': whichWorld };
export const KINDS: Kind[] = EXERCISE_KINDS.map((id) => BY_ID[id]);
