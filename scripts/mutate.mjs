// `npm run mutate [-- FOLDER...]`: Stryker over src/engine, one folder at a time, each with the
// test files that exercise it and its own incremental file (reports/stryker/FOLDER.json), so a
// change is checked again in minutes. Without arguments: the six folders of docs/testing.md. A
// single file works too (`npm run mutate -- mmu/tlb.ts`), with its own tests if listed below, else
// its folder's. Other arguments go to Stryker (`-- kernel/dune/vmcs.ts --concurrency 1`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Folder of src/engine -> the engine tests that exercise it (globs under test/engine), and whether
 *  to skip static mutants (code run while a test file loads, e.g. a boot or a describe-level run:
 *  each of them runs every listed test, which for whole-program tests takes too long). */
const FOLDERS = {
  ept: { tests: ['ept', 'mmu', 'vtx', 'dune/fidelity.test.ts'] },
  vtx: { tests: ['vtx', 'ept', 'mmu', 'cpu/idt.test.ts', 'cpu/privilege.test.ts'] },
  mmu: { tests: ['mmu', 'ept', 'vtx', 'cpu/idt.test.ts'] },
  // The TLB arrays and the cache model have unit tests of their own: the mmu folder's suffice.
  'mmu/tlb.ts': { tests: ['mmu'] },
  'mmu/cache.ts': { tests: ['mmu'] },
  // mmu.ts with the mmu and ept folders' tests only (about 2 s in all; the folder's list adds vtx
  // and a guest's IDT test, and takes over two hours): a lower bound, far faster.
  'mmu/mmu.ts': { tests: ['mmu', 'ept'] },
  // The data memo and the fetch memo's note (TlbNote): their unit tests, and the blocks that use
  // it against single steps.
  'mmu/datamemo.ts': { tests: ['mmu/datamemo.test.ts', 'cpu/fetchmemo.test.ts', 'cpu/block-mem.test.ts'] },
  'kernel/dune': { tests: ['dune', 'kernel/kernel.test.ts'], ignoreStatic: true },
  // The module's pieces that have unit tests without a guest run (dune/units.test.ts, milliseconds
  // a test): those alone, static mutants included. The score is then a lower bound (the guest
  // runs of the folder's tests could only kill more).
  'kernel/dune/layout.ts': { tests: ['dune/units.test.ts'] },
  'kernel/dune/vmcs.ts': { tests: ['dune/units.test.ts'] },
  'kernel/dune/eptfault.ts': { tests: ['dune/units.test.ts'] },
  // The module itself (ioctls, VM-exit handlers, resume) with no guest run: a spawned process, a
  // config written by hand, exits taken by hand (kernel/dune-module.test.ts, milliseconds a test).
  'kernel/dune/module.ts': { tests: ['kernel/dune-module.test.ts'] },
  libdune: { tests: ['libdune', 'dune'], ignoreStatic: true },
  // The page-table manager on a plain memory (libdune/vm.test.ts): milliseconds a test.
  'libdune/vm.ts': { tests: ['libdune/vm.test.ts'] },
  // libdune's natives and GuestMem called directly on a spawned process (libdune/natives.test.ts,
  // libdune/access.test.ts); the runtime, the linker and the guest assembly with the runtime's
  // checks and two small precise-mode guest runs (libdune/runtime.test.ts, about 2 s).
  'libdune/natives.ts': { tests: ['libdune/natives.test.ts'] },
  'libdune/access.ts': { tests: ['libdune/access.test.ts', 'libdune/natives.test.ts'] },
  'libdune/runtime.ts': { tests: ['libdune/runtime.test.ts', 'libdune/natives.test.ts'] },
  'libdune/link.ts': { tests: ['libdune/runtime.test.ts'] },
  // The guest assembly (asm-*.ts): one target for all of them (a glob, so Stryker mutates each).
  'libdune/asm-*.ts': { tests: ['libdune/runtime.test.ts'] },
  // The ALU and the rarer integer instructions: their helpers called directly on exact SDM values,
  // plus the bare-CPU ALU tests (about a second in all).
  'cpu/alu.ts': { tests: ['cpu/alu-units.test.ts', 'cpu/alu.test.ts', 'cpu/shift-imul.test.ts'] },
  'cpu/bits.ts': { tests: ['cpu/bits-units.test.ts', 'cpu/alu.test.ts'] },
  // The system instructions one at a time on a small machine (cpu/bare.ts: a hand-built guest,
  // no kernel run), milliseconds a test.
  'cpu/system.ts': { tests: ['cpu/system-units.test.ts', 'cpu/interrupts-units.test.ts'] },
  'cpu/interrupts.ts': { tests: ['cpu/interrupts-units.test.ts'] },
  // The decoder and the choice of specialised handlers: each form assembled and decoded.
  'cpu/decode.ts': { tests: ['cpu/decode-units.test.ts'] },
  'cpu/fast.ts': { tests: ['cpu/decode-units.test.ts'] },
  // Effective addresses, the stack, the register file and the fault objects, called directly.
  'cpu/operands.ts': { tests: ['cpu/operands-units.test.ts'] },
  'cpu/state.ts': { tests: ['cpu/operands-units.test.ts', 'cpu/system-units.test.ts'] },
  'cpu/regs.ts': { tests: ['cpu/operands-units.test.ts'] },
  'cpu/fault.ts': { tests: ['cpu/operands-units.test.ts'] },
  // String and r/m-form instructions one step at a time (plus the string faults mid-iteration).
  'cpu/strings.ts': { tests: ['cpu/strings-units.test.ts', 'cpu/strings-faults.test.ts'] },
  'cpu/generic.ts': { tests: ['cpu/generic-units.test.ts'] },
  // The check-free blocks against single steps (cpu/block.test.ts and block-mem.test.ts, about 8 s;
  // cpu/block-guards.test.ts: where a memory op or the chain must end a block, the dead-flag analysis
  // by op kind, under 1 s); their building and their data path with them.
  'cpu/block.ts': { tests: ['cpu/block.test.ts', 'cpu/block-guards.test.ts', 'cpu/block-mem.test.ts'] },
  'cpu/blockbuild.ts': { tests: ['cpu/block.test.ts', 'cpu/block-guards.test.ts', 'cpu/block-mem.test.ts'] },
  'cpu/datapath.ts': { tests: ['cpu/block-mem.test.ts', 'cpu/block.test.ts', 'cpu/exec-units.test.ts'] },
  // The interpreter: its own unit tests, the fast-vs-generic dispatch comparison and the bare-CPU
  // ALU and string tests (about 2 s in all; not the host-CPU differential test, 7 s).
  'cpu/exec.ts': { tests: ['cpu/exec-units.test.ts', 'cpu/fast.test.ts', 'cpu/alu.test.ts', 'cpu/strings-faults.test.ts', 'cpu/strings-units.test.ts', 'cpu/generic-units.test.ts'] },
  cpu: { tests: ['cpu', 'vtx', 'kernel/kernel.test.ts', 'kernel/signals.test.ts'], ignoreStatic: true },
};

// Arguments naming a folder or file of src/engine are targets; the rest (flags and their values)
// go to Stryker as they are: `npm run mutate -- vtx --concurrency 1`.
const args = process.argv.slice(2);
const isTarget = (a) => !a.startsWith('-') && (a in FOLDERS || existsSync(`src/engine/${a}`));
const flags = args.filter((a) => !isTarget(a));
const targets = args.filter(isTarget);
const folders = targets.length ? targets : Object.keys(FOLDERS);
let failed = 0;
for (const f of folders) {
  const file = f.endsWith('.ts');
  const { tests: globs = [''], ignoreStatic = false } = FOLDERS[f] ?? FOLDERS[file ? f.slice(0, f.lastIndexOf('/')) : f] ?? {};
  const tests = globs.map((t) => `test/engine/${t}${t.endsWith('.ts') ? '' : '/**/*.test.ts'}`.replace('//', '/'));
  const name = f.replace(/\.ts$/, '').replaceAll('/', '-').replace('*', 'all'); // libdune/asm-*.ts: libdune-asm-all
  console.log(`\n== src/engine/${f} (tests: ${tests.join(', ')})`);
  const r = spawnSync('npx', ['stryker', 'run', '--mutate', file ? `src/engine/${f}` : `src/engine/${f}/**/*.ts`, ...(ignoreStatic ? ['--ignoreStatic'] : []), ...flags],
    { stdio: 'inherit', env: { ...process.env, MUTATE_NAME: name, MUTATE_TESTS: tests.join(',') } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
