import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const dir = mkdtempSync(join(tmpdir(), 'dunelab-cli-'));
const file = (name: string, src: string) => { const p = join(dir, name); writeFileSync(p, src); return p; };
const sim = (...args: string[]) => spawnSync('npx', ['tsx', 'src/cli/sim.ts', ...args], { encoding: 'utf8', cwd: process.cwd() });

const HELLO = file('hello.s', `.data
msg: .ascii "hello\\n"
.text
_start:
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 6
    syscall
    mov rax, SYS_exit
    mov rdi, 3
    syscall
`);

describe('sim CLI (cli-and-trace.md)', { timeout: 60_000 }, () => {
  it('--trace - into a pipe whose reader is slow gives the whole trace, byte for byte (EAGAIN waits, no partial write lost)', async () => {
    const path = join(dir, 'hello-dune.jsonl');
    expect(sim('run', 'samples/hello-dune.s', '--trace', path, '--quiet').status).toBe(0);
    const want = readFileSync(path);
    expect(want.length).toBeGreaterThan(1 << 22); // several MiB: far more than a pipe holds
    const child = spawn('npx', ['tsx', 'src/cli/sim.ts', 'run', 'samples/hello-dune.s', '--trace', '-', '--quiet'], { cwd: process.cwd() });
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 2500)); // the pipe fills while nobody reads
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const status = await new Promise<number | null>((r) => child.on('close', r));
    expect(status).toBe(0);
    const got = Buffer.concat(chunks);
    expect(got.length).toBe(want.length);
    expect(got.equals(want)).toBe(true);
  });

  it('runs the CS:APP-style sample (movzx, setcc, cmovcc, a macro)', () => {
    const r = sim('run', 'samples/csapp-cmov.s', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(['absdiff:', '7', 'x < y:', '1', 'absdiff:', '5', 'x < y:', '1', 'absdiff:', '0', 'x < y:', '0',
      'absdiff:', '255', 'x < y:', '1', 'pairs with x < y:', '3', ''].join('\n'));
  });

  it('.include reads from disk relative to the including file; errors name both places', () => {
    file('inc-lib.s', 'EXIT_CODE = 5\n.macro bye\n    mov edi, EXIT_CODE\n    mov eax, SYS_exit\n    syscall\n.endm\n');
    const main = file('inc-main.s', '.include "inc-lib.s"\n_start:\n    bye\n');
    expect(sim('run', main, '--quiet').status).toBe(5);
    file('inc-bad.s', 'nop\n    mvo rax, 1\n');
    const bad = file('inc-usebad.s', '.include "inc-bad.s"\n');
    const r = sim('check', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'inc-bad.s')}:2:5: error: unknown instruction 'mvo'`);
    expect(r.stderr).toContain(`${bad}:1:1: note: included from here`);
  });

  it('run: guest output on stdout, the guest exit code as status, one summary line on stderr', () => {
    const r = sim('run', HELLO);
    expect(r.stdout).toBe('hello\n');
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/exit 3; 8 instructions, \d+ cycles/);
    expect(sim('run', HELLO, '--quiet').stderr).toBe('');
  });

  it('--trace - writes JSON lines to stdout, the output only as output events, a summary last', () => {
    const r = sim('run', HELLO, '--trace', '-', '--quiet');
    const ev = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(ev.some((e) => e.type === 'output' && e.text === 'hello\n')).toBe(true);
    expect(r.stdout).not.toMatch(/^hello$/m);
    expect(ev.at(-1)).toMatchObject({ type: 'summary', instructions: 8 });
    expect(ev.at(-2)).toMatchObject({ type: 'exit', code: 3, how: 'exit' });
  });

  it('--trace PATH writes the same trace to a file, byte-identical across runs', () => {
    const a = join(dir, 'a.jsonl'), b = join(dir, 'b.jsonl');
    sim('run', HELLO, '--trace', a, '--quiet'); sim('run', HELLO, '--trace', b, '--quiet');
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8').length).toBeGreaterThan(500);
  });

  it('check and run report assembly errors with status 2', () => {
    const bad = file('bad.s', 'mov rax, 1\n  movv rbx, 2\n');
    const c = sim('check', bad);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain(`${bad}:2:3: error:`);
    expect(c.stderr).toContain('^');
    expect(sim('run', bad).status).toBe(2);
    expect(sim('check', HELLO).status).toBe(0);
  });

  it('--max-instructions: status 124 and a clear message', () => {
    const loop = file('loop.s', '_start:\n    jmp _start\n');
    const r = sim('run', loop, '--max-instructions', '1000');
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/stopped after 1000 instructions/);
  });

  it('a killed process exits 128+signal with the kernel report on stderr', () => {
    const seg = file('seg.s', '_start:\n    mov rax, [0]\n');
    const r = sim('run', seg);
    expect(r.status).toBe(139);
    expect(r.stderr).toMatch(/segfault at 0x0/);
    expect(r.stderr).toMatch(/`mov rax, \[0\]` \(line 2\)/);
  });

  it('--set validates knobs; --stdin feeds read()', () => {
    expect(sim('run', HELLO, '--set', 'tlb=off', '--quiet').status).toBe(3);
    const bad = sim('run', HELLO, '--set', 'warp=on');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown setting 'warp'/);
    const cat = file('cat.s', `.bss\nb: .zero 8\n.text\n_start:\n    mov rax, SYS_read\n    mov rdi, 0\n    lea rsi, [b]\n    mov rdx, 8\n    syscall\n    mov rdx, rax\n    mov rax, SYS_write\n    mov rdi, 1\n    syscall\n    mov rax, SYS_exit\n    mov rdi, 0\n    syscall\n`);
    expect(sim('run', cat, '--stdin', 'abc', '--quiet').stdout).toBe('abc');
  });

  it('a missing file or bad usage is a one-line error, status 2', () => {
    const r = sim('run', join(dir, 'nope.s'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope\.s: ENOENT/);
    expect(sim('frobnicate').status).toBe(2);
  });

  it('the budget holds inside a libdune native whose fault handler never returns: 124, not an internal error (70)', () => {
    const spin = file('spin.s', `.data\nfmt: .asciz "%s"\n.text\n_start:\n    call dune_init_and_enter\n    lea rdi, [spin]\n    call dune_register_pgflt_handler\n    lea rdi, [fmt]\n    mov rsi, 0x500000000000\n    call dune_printf\n    mov rdi, 0\n    call exit\nspin:\n    jmp spin\n`);
    const r = sim('run', spin, '--max-instructions', '100000', '--set', 'hugepages=on');
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/stopped after 100000 instructions: the fault handler of the native routine at 0x[0-9a-f]+ had not returned/);
    expect(r.stderr).toMatch(/\[sim\] .*spin\.s: budget exhausted; 100000 instructions/);
    expect(r.stderr).not.toMatch(/internal simulator error/);
  });
});
