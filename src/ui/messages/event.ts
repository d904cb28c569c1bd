import { fmt } from './locale.ts';
// Messages of the event detail: every trace field by a plain name (cli-and-trace.md's fields),
// and the words for their values. English; a translation adds a parallel catalog.

const n = (v: number) => fmt(v);

export const event = {
  header: (type: string, seq: number, cycles: number, vmx: string, cpl: number) =>
    `${type} · event ${n(seq)} · ${n(cycles)} cycles so far (modelled) · VMX ${vmx}, ring ${cpl}`,
  /** After the type's code name: its plain name, the event number, the cycles so far, the mode. */
  headerRest: (what: string, seq: number, cycles: number, vmx: string, cpl: number) =>
    `${what} · #${n(seq)} · ${n(cycles)} cycles so far (modelled) · VMX ${vmx} · ring ${cpl}`,
  types: {
    instr: 'instruction retired', walk: 'page walk', tlb: 'TLB', ad: 'accessed/dirty bit set', exception: 'exception',
    ring: 'ring change', vmexit: 'VM exit', vmentry: 'VM entry', vmfail: 'VMX instruction failed', syscall: 'system call',
    signal: 'signal', libdune: 'libdune call', kernel: 'kernel', output: 'output', exit: 'process exit', summary: 'run summary',
  } as Record<string, string>,
  f: {
    address: 'address', instruction: 'instruction', va: 'linear address', refs: 'entries read', result: 'host-physical result',
    fault: 'stopped by', psc: 'paging-structure cache hits', op: 'operation', vpid: 'VPID', pcid: 'PCID', page: 'page',
    scope: 'scope', ept: 'EPT root', entries: 'entries removed', table: 'table', bit: 'bit', entry: 'entry at',
    vector: 'vector', errorCode: 'error code', cr2: 'faulting address (CR2)', to: 'delivered to', from: 'from', via: 'via',
    reason: 'exit reason', qualification: 'exit qualification', gpa: 'guest-physical address', gla: 'guest linear address',
    instrLen: 'instruction length', intrInfo: 'interruption information', fromCpl: 'from', kind: 'instruction', instr: 'instruction', error: 'error number',
    message: 'message', call: 'call', args: 'arguments', ret: 'return value', signo: 'signal', handler: 'handler',
    toRing: 'to', fn: 'function', detail: 'detail', fd: 'file', text: 'text', how: 'how', code: 'exit code', instructions: 'instructions',
    cycles: 'cycles (modelled)', vmexits: 'VM exits', walks: 'page walks', walkRefs: 'walk references', tlbMisses: 'TLB misses',
    faults: 'faults', rip: 'at RIP', name: 'name', nr: 'number', access: 'access', why: 'why',
  } as Record<string, string>,
  ring: (r: number) => `ring ${r}`,
  /** Why an exception was raised (the trace's words), in the UI's language. */
  why: (why: string) => why,
  bytes: (k: number) => `${k} byte${k === 1 ? '' : 's'}`,
  /** VM_EXIT_INSTRUCTION_LEN for an exit the SDM leaves it undefined for (EPT_VIOLATION, external interrupt, ...). */
  instrLenUndefined: (exit: string) => `not defined for this exit (${exit}): the SDM gives a length only for exits an instruction caused`,
  none: 'none',
  entering: '(entering; returns later)',
  noResult: 'none (the walk stopped)',
  refs: (k: number) => `${k} of 24 at most (4 natively)`,
  tlbOps: { fill: 'fill (a walk\'s translation cached)', flush: 'flush', invlpg: 'INVLPG (one page)', invpcid: 'INVPCID', invvpid: 'INVVPID', invept: 'INVEPT', noflush: 'no flush (informational)' } as Record<string, string>,
  tables: { guest: 'guest page table', ept: 'EPT', host: 'host page table' } as Record<string, string>,
  bits: { A: 'A (accessed)', D: 'D (dirty)' } as Record<string, string>,
  deliveredTo: { 'guest-idt': 'the guest\'s own IDT (no VM exit)', vmexit: 'a VM exit (exception bitmap)', 'host-kernel': 'the host kernel' } as Record<string, string>,
  /** How a trace `via` reads: the trace's word, explained where it needs it. */
  via: { syscall: 'syscall (the SYSCALL instruction)', vmcall: 'vmcall (VMCALL from the Dune process: a hypercall)', ptrace: 'ptrace (stopped for the tracer)',
    sandbox: 'sandbox (a ring-3 call caught by the sandbox in ring 0)', sysret: 'sysret', exception: 'exception', interrupt: 'interrupt', iret: 'iret' } as Record<string, string>,
  fds: { 1: 'standard output', 2: 'standard error' } as Record<number, string>,
  budget: 'stopped at its instruction budget',
} as const;
