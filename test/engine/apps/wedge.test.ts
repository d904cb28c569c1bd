// Wedge sthreads (src/engine/libdune/asm-sthread.ts): isolation and the policy, recycling and its
// missing INVLPG, and Table 5's trends from the runs (src/engine/paper-wedge.ts).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSource } from '../../../src/engine/session.ts';
import { table5, httpRequests, PAPER_WEDGE } from '../../../src/engine/paper-wedge.ts';

const dir = join(process.cwd(), 'samples/wedge');
const read = (name: string) => { try { return readFileSync(join(dir, name), 'utf8'); } catch { return null; } };
const run = (src: string, stdin = '') => {
  const r = runSource(src, { file: 'w.s', stdin, maxInstructions: 30_000_000, files: { 'wedge.inc': read('wedge.inc')! } });
  expect(r.diagnostics).toBe('');
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
};

describe('sthreads', () => {
  const policy = read('policy.s')!;

  it('write to a private copy, check system calls against the policy, and fault outside it', { timeout: 60_000 }, () => {
    expect(run(policy)).toBe([
      'sthread: my counter is now 5',
      'parent: the sthread returned 5; my counter is still 0',
      'parent: getpid from the sthread returned -22 (not allowed), then 1 (allowed)',
      'parent: the sthread that read the runtime\'s memory ended with -14', ''].join('\n'));
  });

  it('an fd outside the policy gets -EINVAL; a buffer the sthread cannot reach gets -EFAULT', { timeout: 60_000 }, () => {
    const fd2 = policy.replace('    mov rax, SYS_write\n    mov rdi, 1\n    lea rsi, [msg]', '    mov rax, SYS_write\n    mov rdi, 2\n    lea rsi, [msg]');
    const out = run(fd2);
    expect(out).not.toContain('sthread: my counter');
    expect(out).toContain('the sthread returned 5; my counter is still 0');
    const foreign = policy.replace('pid:\n    mov rax, SYS_getpid\n    syscall', 'pid:\n    mov rax, SYS_write\n    mov rdi, 1\n    mov rsi, 0x380000\n    mov rdx, 8\n    syscall');
    expect(run(foreign)).toContain('getpid from the sthread returned -14 (not allowed), then -14 (allowed)');
  });

  it('recycling without INVLPG lets a write go unrecorded, and the next request reads it', { timeout: 60_000 }, () => {
    const src = read('recycle-leak.s')!;
    expect(run(src)).toContain('request 3 read 222 from the page its predecessor wrote');
    const fixed = run(src, 'fixed');
    expect(fixed).toContain('request 2 read 0');
    expect(fixed).toContain('request 3 read 0 from the page its predecessor wrote');
  });
});

describe("the paper's Table 5, measured", () => {
  it('create at least 10x faster, a context switch at least 2x, a request at least 10%', { timeout: 180_000 }, () => {
    const rows = table5(read);
    expect(rows.map((r) => r.op)).toEqual(['create', 'ctxswitch', 'http']);
    const by = Object.fromEntries(rows.map((r) => [r.op, r]));
    expect(by.create.fork).toBeGreaterThan(10 * by.create.sthread);
    expect(by.ctxswitch.fork).toBeGreaterThan(2 * by.ctxswitch.sthread);
    expect(by.http.fork).toBeGreaterThan(1.1 * by.http.sthread);
    expect(by.create.paperFork).toBe(PAPER_WEDGE.create.fork);
    expect(by.create.paperSthread).toBe(2);
  });

  it('the figures follow the programs: touching more pages costs a flushing switch more than a PCID one', { timeout: 120_000 }, () => {
    const src = read('ctx-sthread.s')!;
    const at = (pages: number) => run(src.replace('PAGES = 1', `PAGES = ${pages}`).replace('SWITCHES = 1000', 'SWITCHES = 200')).trim().split('\n').map(Number);
    const [flush1, pcid1] = at(1), [flush8, pcid8] = at(8);
    expect(pcid1).toBeLessThan(flush1);
    expect(flush8 - flush1).toBeGreaterThan(2 * (pcid8 - pcid1)); // each extra page is a TLB refill after a flush
    expect(httpRequests(2)).toBe('GET /page-00001\nGET /page-00002\n');
  });
});
