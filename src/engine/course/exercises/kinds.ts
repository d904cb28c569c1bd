// The exercise kinds: each generates a problem from a seeded PRNG and solves it by running the
// engine on the problem's program and reading the deciding event. The student predicts first;
// the app then shows that event. World: above the engine.

import { decide, symbolHex } from './run.ts';
import type { Rng } from './seed.ts';
import { EXERCISE_KINDS, type ExerciseKind } from './ids.ts';
import { CHOICE_TEXT, EXERCISE_TEXT, english, text, type ChoiceId, type Params, type Text, type TextKey } from './text.ts';

export interface Problem {
  kind: string; seed: string;
  /** The question, in English (the CLI's language); params carry every figure it names. */
  prompt: string; params: Record<string, string | number>;
  /** The program that decides it, and its knobs. */
  program: string; knobs: Record<string, string>;
  /** How to write the answer. */
  format: string;
  /** The prompt and the format as keys with parameters (text.ts), for the page's languages. */
  text: { prompt: Text; format: Text };
}
export interface Solution {
  answer: string;
  /** The event that decides it (seq in the run of program with knobs), and why. */
  event: number | null; explanation: string;
  /** For a wrong answer: where to look (a panel id) and what to look for. */
  hint: { panel: string; text: string };
  /** The explanation and the hint as keys with parameters (text.ts). */
  text: { explanation: Text; hint: Text };
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
/** A problem's words: the English the CLI prints, and the keys the page renders. */
const ask = (prompt: Text, format: TextKey) => ({ prompt: english(prompt), format: english(text(format)), text: { prompt, format: text(format) } });
/** A solution's words: its explanation, and the hint with the panel to look in. */
const say = (explanation: Text, panel: string, hint: TextKey) =>
  ({ explanation: english(explanation), hint: { panel, text: english(text(hint)) }, text: { explanation, hint: text(hint) } });
const t = (key: TextKey, params: Params = {}) => text(key, params);
const choice = (id: ChoiceId) => ({ id, text: CHOICE_TEXT[id] });

const DUNE = (body: string, data = '') => `${data ? `${data}\n` : ''}.text\n_start:\n    call dune_init_and_enter\n${body}\n    mov rdi, 0\n    call exit\n`;

const walkRefs: Kind = {
  id: 'walk-refs', title: EXERCISE_TEXT['walk-refs.title'](),
  generate(r) {
    const psc = r.pick(['on', 'off'] as const), hugepages = r.pick(['off', 'on'] as const), k = 1 + r.int(6);
    const program = DUNE(`    mov rax, [buf]\n    mov rax, [buf + ${k * 4096}]`, `.bss\n.align 4096\nbuf: .zero ${(k + 1) * 4096}`);
    return { ...ask(t('walk-refs.prompt', { pages: k, psc, hugepages }), 'format.number'),
      params: { pages: k, psc, hugepages }, program, knobs: { psc, hugepages } };
  },
  solve(p) {
    const va = '0x' + (BigInt(symbolHex(p.program, 'buf')) + BigInt(Number(p.params.pages) * 4096)).toString(16);
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov rax, [buf]' }, { type: 'walk', fault: null, va }]);
    const v = d.values;
    return { answer: String(v['walk.refs']), event: d.event?.seq ?? null,
      ...say(t('walk-refs.explanation', { va, refs: String(v['walk.refs']), guest: String(v['walk.guest']), ept: String(v['walk.ept']), psc: String(p.knobs.psc), hugepages: String(p.knobs.hugepages) }), 'walk', 'walk-refs.hint') };
  },
  same: sameNumber,
};

const EXIT_CHOICES = [
  { ...choice('cpuid'), asm: '    cpuid' },
  { ...choice('rdtsc'), asm: '    rdtsc' },
  { ...choice('read-cr3'), asm: '    mov rax, cr3' },
  { ...choice('write-cr3'), asm: '    mov rax, cr3\n    mov cr3, rax' },
  { ...choice('invlpg'), asm: '    invlpg [buf]' },
  { ...choice('vmcall'), asm: '    mov rax, SYS_getpid\n    vmcall' },
  { ...choice('first-read'), asm: '    mov rax, [buf + 4096]' },
  { ...choice('second-read'), asm: '    mov rax, [buf]' },
];

const whichExit: Kind = {
  id: 'which-exit', title: EXERCISE_TEXT['which-exit.title'](),
  generate(r) {
    const c = r.pick(EXIT_CHOICES);
    const program = DUNE(`    mov rax, [buf]\n    mov r15, 1\n${c.asm}\n    mov r15, 2`, `.bss\n.align 4096\nbuf: .zero 8192`);
    return { ...ask(t('which-exit.prompt', { choice: c.id }), 'format.exit'),
      params: { instruction: c.text }, program, knobs: {} };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'instr', text: 'mov r15, 2' }], true);
    const exits = d.events.filter((e) => e.type === 'vmexit');
    const first = exits[0];
    const answer = first?.type === 'vmexit' ? first.name : 'none';
    return { answer, event: first?.seq ?? d.event?.seq ?? null,
      ...say(first?.type === 'vmexit' ? t('which-exit.exits', { reason: first.reason, name: first.name }) : t('which-exit.none'), 'vmcs', 'which-exit.hint') };
  },
  same: (g, a) => words(g) === words(a),
};

const pfErrorCode: Kind = {
  id: 'pf-error-code', title: EXERCISE_TEXT['pf-error-code.title'](),
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
    const params = { world, access: write ? 'write' : 'read', page: present ? 'read-only' : 'not present' };
    return { ...ask(t('pf-error-code.prompt', params), 'format.code'), params, program, knobs: {} };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'exception', name: '#PF' }]);
    const e = d.event?.type === 'exception' ? d.event : null;
    if (!e) throw new Error(`pf-error-code ${p.seed}: the access did not fault`);
    const c = e.errorCode ?? 0;
    return { answer: String(c), event: e.seq,
      ...say(t('pf-error-code.explanation', { code: c }), 'cpu', 'pf-error-code.hint') };
  },
  same: sameNumber,
};

const cr3Flush: Kind = {
  id: 'cr3-flush', title: EXERCISE_TEXT['cr3-flush.title'](),
  generate(r) {
    const pcid = r.int(3), keep = r.pick([false, true]);
    const program = DUNE(`    mov rax, [buf]\n    mov rax, cr3\n    and rax, -4096\n    or rax, ${pcid}\n${keep ? '    mov rbx, 0x8000000000000000\n    or rax, rbx\n' : ''}    mov r15, 1\n    mov cr3, rax`, `.bss\n.align 4096\nbuf: .zero 4096`);
    const params = { pcid, bit63: keep ? 1 : 0 };
    return { ...ask(t('cr3-flush.prompt', params), 'format.flush'), params, program, knobs: {} };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'tlb', vmx: 'non-root' }]);
    const e = d.event?.type === 'tlb' ? d.event : null;
    const answer = e?.op === 'flush' ? 'flush' : 'noflush';
    return { answer, event: e?.seq ?? null,
      ...say(e?.op === 'flush' ? t('cr3-flush.flush', { pcid: String(e.pcid), entries: e.entries ?? 0 }) : t('cr3-flush.noflush', { pcid: String(e?.pcid ?? p.params.pcid) }), 'tlb', 'cr3-flush.hint') };
  },
  same: (g, a) => words(g).replace(/[- ]/g, '') === a,
};

const HYPERCALLS = ['getpid', 'getppid', 'gettid'] as const;
const hypercallCost: Kind = {
  id: 'hypercall-cost', title: EXERCISE_TEXT['hypercall-cost.title'](),
  generate(r) {
    const name = r.pick(HYPERCALLS);
    const program = DUNE(`    mov rax, SYS_${name}\n    vmcall\n    mov r15, 1\n    mov rax, SYS_${name}\n    vmcall`);
    return { ...ask(t('hypercall-cost.prompt', { syscall: name }), 'format.cycles'), params: { syscall: name }, program, knobs: {} };
  },
  solve(p) {
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'vmexit', name: 'VMCALL' }]);
    const v = d.values;
    return { answer: String(v['cost.roundTrip']), event: d.event?.seq ?? null,
      ...say(t('hypercall-cost.explanation', { exit: String(v['cost.exit']), entry: String(v['cost.entry']), handler: String(v['cost.handler']), syscall: String(p.params.syscall) }), 'timeline', 'hypercall-cost.hint') };
  },
  same: (g, a) => { const x = num(g), y = num(a); return !Number.isNaN(x) && Math.abs(x - y) <= 0.1 * y; },
};

const translate: Kind = {
  id: 'translate', title: EXERCISE_TEXT['translate.title'](),
  generate(r) {
    const page = r.int(4), off = 8 * r.int(512);
    const program = DUNE(`    mov rax, SYS_mmap\n    xor rdi, rdi\n    mov rsi, 16384\n    mov rdx, PROT_READ | PROT_WRITE\n    mov r10, MAP_PRIVATE | MAP_ANONYMOUS\n    mov r8, -1\n    xor r9, r9\n    vmcall\n    mov rbx, rax\n    mov r15, 1\n    mov qword ptr [rbx + ${page * 4096 + off}], 1`);
    return { ...ask(t('translate.prompt', { offset: page * 4096 + off }), 'format.addresses'), params: { offset: page * 4096 + off }, program, knobs: {} };
  },
  solve(p) {
    // The write's own EPT violation (a write, bit 1, of the final address, bit 8) names the GPA;
    // the walk that completes after the fill gives the HPA.
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'vmexit', name: 'EPT_VIOLATION', bits: { qualification: { set: [1, 7, 8] } } }, { type: 'walk', fault: null }]);
    const x = d.matched[1], w = d.event;
    if (x?.type !== 'vmexit' || w?.type !== 'walk') throw new Error(`translate ${p.seed}: the write did not exit and complete`);
    return { answer: `${x.gpa} ${w.result}`, event: w.seq,
      ...say(t('translate.explanation', { va: w.va, gpa: String(x.gpa), hpa: String(w.result) }), 'walk', 'translate.hint') };
  },
  same: (g, a) => { const x = g.trim().toLowerCase().split(/[\s,;>-]+/).filter(Boolean).map(num), y = a.split(' ').map(num); return x.length === 2 && x[0] === y[0] && x[1] === y[1]; },
};

const exitSet: Kind = {
  id: 'exit-set', title: EXERCISE_TEXT['exit-set.title'](),
  generate(r) {
    const pool = EXIT_CHOICES.map((_, i) => i);
    const picked: number[] = [];
    while (picked.length < 3) { const i = pool.splice(r.int(pool.length), 1)[0]; picked.push(i); }
    picked.sort((a, b) => a - b);
    const cs = picked.map((i) => EXIT_CHOICES[i]);
    const body = cs.map((c, j) => `    mov r15, ${j + 1}\n${c.asm}`).join('\n') + `\n    mov r15, ${cs.length + 1}`;
    const program = DUNE(`    mov rax, [buf]\n${body}`, `.bss\n.align 4096\nbuf: .zero 8192`);
    return { ...ask(t('exit-set.prompt', Object.fromEntries(cs.map((c, j) => [`i${j + 1}`, c.id]))), 'format.numbers'),
      params: Object.fromEntries(cs.map((c, j) => [`i${j + 1}`, c.text])), program, knobs: {} };
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
    // The explanation names each item (i1..iN) and the first exit it caused (e1..eN).
    const named: Params = Object.fromEntries(Object.keys(p.params).map((k) => [k, k]));
    for (const j of js) named[`e${j}`] = exits.find((x) => x.j === j)!.name;
    return { answer: js.length ? js.join(' ') : 'none', event: exits[0]?.seq ?? d.event?.seq ?? null,
      ...say(js.length ? t('exit-set.explanation', named) : t('exit-set.none'), 'vmcs', 'exit-set.hint') };
  },
  same: (g, a) => { const norm = (s: string) => words(s) === 'none' ? 'none' : [...new Set(s.match(/\d+/g) ?? [])].map(Number).sort((x, y) => x - y).join(' '); return norm(g) === a; },
};

const WORLDS = [
  { ...choice('pf-handler'), program: `.bss\n.align 4096\nvictim: .zero 4096\n.text\n_start:\n    call dune_init_and_enter\n    mov rdi, handler\n    call dune_register_pgflt_handler\n    mov rax, [victim]\n    mov rdi, [pgroot]\n    lea rsi, [victim]\n    mov rdx, 4096\n    xor rcx, rcx\n    call dune_vm_mprotect\n    mov r15, 1\n    mov rax, [victim]\n    mov rdi, 0\n    call exit\nhandler:\n    mov rdi, 0\n    call exit\n` },
  { ...choice('pf-linux'), program: `.bss\n.align 4096\nvictim: .zero 4096\n.text\n_start:\n    mov rax, SYS_mprotect\n    lea rdi, [victim]\n    mov rsi, 4096\n    mov rdx, PROT_NONE\n    syscall\n    mov r15, 1\n    mov rax, [victim]\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n` },
  { ...choice('first-write'), program: DUNE(`    mov r15, 1\n    mov qword ptr [buf], 1`, `.bss\n.align 4096\nbuf: .zero 4096`) },
  { ...choice('syscall-linux'), program: `.text\n_start:\n    mov r15, 1\n    mov rax, SYS_getpid\n    syscall\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n` },
  { ...choice('vmcall-dune'), program: DUNE(`    mov r15, 1\n    mov rax, SYS_getpid\n    vmcall`) },
];

const whichWorld: Kind = {
  id: 'which-world', title: EXERCISE_TEXT['which-world.title'](),
  generate(r) {
    const w = r.pick(WORLDS);
    return { ...ask(t('which-world.prompt', { choice: w.id }), 'format.world'), params: { event: w.text }, program: w.program, knobs: {} };
  },
  solve(p) {
    // The first event after the marker that hands control somewhere decides it.
    const d = decide(p.program, p.knobs, [{ type: 'instr', text: 'mov r15, 1' }, { type: 'exit' }], true);
    const e = d.events.find((x) => x.type === 'exception' || x.type === 'vmexit' || (x.type === 'ring' && x.via === 'syscall'));
    const answer = !e ? 'none' : e.type === 'vmexit' ? 'module' : e.type === 'exception' ? (e.to === 'guest-idt' ? 'process' : e.to === 'vmexit' ? 'module' : 'kernel') : e.vmx === 'non-root' ? 'process' : 'kernel';
    return { answer, event: e?.seq ?? null,
      ...say(!e ? t('which-world.nothing') : e.type === 'vmexit' ? t('which-world.vmexit', { name: e.name }) : e.type === 'exception' ? t('which-world.pf', { to: e.to }) : t('which-world.syscall'), 'privilege', 'which-world.hint') };
  },
  same: (g, a) => words(g) === a,
};

const BY_ID: Record<ExerciseKind, Kind> = { 'walk-refs': walkRefs, 'which-exit': whichExit, 'pf-error-code': pfErrorCode, 'cr3-flush': cr3Flush, 'hypercall-cost': hypercallCost, translate, 'exit-set': exitSet, 'which-world': whichWorld };
export const KINDS: Kind[] = EXERCISE_KINDS.map((id) => BY_ID[id]);
