import { describe, it, expect } from 'vitest';
import { Shell, type ShellHost } from '../../../src/ui/terminal/shell.ts';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import type { EngineClient } from '../../../src/ui/engineClient.ts';
import { memVfs } from './memVfs.ts';
import { ACTIONS } from '../../../src/ui/state/actions.ts';

function setup(engine: EngineClient = inThreadEngine()) {
  const store = createStore(engine, '');
  let out = '';
  const edits: string[] = [];
  const fs = memVfs({ 'loop.s': '.text\n_start:\n    jmp _start\n' });
  const host: ShellHost = { fs, engine, store: () => store.getState(), print: (s) => { out += s; }, edit: (p) => { edits.push(p); } };
  const shell = new Shell(host);
  const sh = async (line: string) => { out = ''; await shell.execute(line); return out; };
  return { shell, sh, store, fs, edits };
}

describe('shell', () => {
  it('runs the CS:APP-style sample (movzx, setcc, cmovcc and a macro) in the terminal', async () => {
    const { sh } = setup();
    const out = await sh('run /samples/csapp-cmov.s');
    expect(out).toContain('absdiff:\n255\nx < y:\n1\npairs with x < y:\n3\n');
    expect(out).toMatch(/csapp-cmov\.s: exit 0/);
  });

  it('run and check read the program\'s .include files from the store (relative to the program); errors name both places', async () => {
    const { sh, fs } = setup();
    await fs.write('/home/lib/sys.inc', '.macro sys_exit code\n    mov edi, \\code\n    mov eax, SYS_exit\n    syscall\n.endm\n');
    await fs.write('/home/main.s', '.include "lib/sys.inc"\n_start:\n    sys_exit 7\n');
    expect(await sh('run /home/main.s')).toMatch(/main\.s: exit 7/);
    await fs.write('/home/lib/bad.inc', 'nop\n    mvo rax, 1\n');
    await fs.write('/home/bad.s', '.include "lib/bad.inc"\n');
    const out = await sh('check /home/bad.s');
    expect(out).toContain("lib/bad.inc:2:5: error: unknown instruction 'mvo'");
    expect(out).toContain('bad.s:1:1: note: included from here');
  });

  it('run prints the program output, exit code and summary, and drives the store', async () => {
    const { sh, store } = setup();
    const out = await sh('run /samples/hello-linux.s');
    expect(out).toContain('Hello from a Linux process!');
    expect(out).toMatch(/\[sim\] hello-linux\.s: exit 0; \d+ instructions, \d+ cycles, vmexits none/);
    expect(store.getState().loaded).not.toBeNull();
  });

  it('run --trace prints JSON lines and bad options get a usage line', async () => {
    const { sh } = setup();
    const out = await sh('run /samples/hello-linux.s --trace --set tlb=off');
    const first = JSON.parse(out.split('\n')[0]);
    expect(first.seq).toBe(0);
    expect(await sh('run /samples/hello-linux.s --set warp=on')).toMatch(/^run: unknown setting 'warp=on'.*\(usage: run FILE/);
    expect(await sh('run')).toMatch(/^run: missing FILE/);
    expect(await sh('run /home/none.s')).toMatch(/^run: \/home\/none\.s: no such file/);
  });

  it('run leaves the cursor at the end of the run, or at the first breakpoint, and says where; the views agree', async () => {
    const { sh, store } = setup();
    const out = await sh('run /samples/hello-dune.s');
    const s = store.getState();
    expect(s.cursor).toBe(s.loaded!.total - 1);
    expect(out).toMatch(/Cursor at the end of the run, as in the views[^\n]*\n#[\d,]+ .*\(end of the run\)\n$/);
    expect(out).toContain(`#${s.cursor.toLocaleString('en-US')} `);
    // At the end the VMCS exists and the registers are the final ones (not the start's).
    expect(await sh('vmcs VM_EXIT_REASON')).toMatch(/VM_EXIT_REASON/);
    expect(await sh('regs')).toContain(`rip ${s.view!.rip}`);
    // An event number as the page prints it (#1,000) is read as typed digits are.
    expect(await sh('events #1,000 1')).toMatch(/^\{"seq":1000,/);
    expect(await sh('events 1,00 1')).toMatch(/1,00/);
    await sh('break 14');
    const again = await sh('run /samples/hello-linux.s');
    const b = store.getState();
        expect(again).toMatch(/Cursor at the first breakpoint \(line 14\), as in the views.*\n#[\d,]+ rip .*: retired syscall\n$/);
    expect(b.cursor).toBeLessThan(b.loaded!.total - 1);
    expect(b.line).toBe(14);
  });

  it('break + continue stops at the line; regs prints rip; delete and info', async () => {
    const { sh, store } = setup();
    await sh('run /samples/hello-linux.s');
    expect(await sh('break 14')).toContain('breakpoint at line 14');
    expect([...store.getState().breakpoints]).toEqual([14]);
    await sh('reset');
    const at = await sh('continue');
    // The stop is the retirement of line 14's instruction (the engine's breakpoint, as in the views).
    expect(at).toMatch(/^#[\d,]+ .*rip 0x[0-9a-f]+.*: retired syscall/);
    const e = store.getState().event;
    expect(e?.type === 'instr' && e.text).toMatch(/^syscall/);
    expect(await sh('regs')).toMatch(/rip 0x[0-9a-f]+/);
    expect(await sh('info breakpoints')).toContain('lines 14');
    expect(await sh('delete 14')).toContain('deleted');
    expect(await sh('info breakpoints')).toContain('no breakpoints');
    expect(await sh('break 99')).toMatch(/not in the program/);
    expect(await sh('continue')).toContain('ran to the end');
    expect(await sh('reset')).toMatch(/^#-?\d+/);
  });

  it('step, next, tlb, vmcs, ept and events work on the loaded run', async () => {
    const { sh, store } = setup();
    expect(await sh('regs')).toMatch(/no program loaded/);
    await sh('run /samples/hello-dune.s');
    await sh('reset');
    const c0 = store.getState().cursor;
    await sh('step 3');
    expect(store.getState().cursor).toBeGreaterThan(c0);
    expect(await sh('next')).toMatch(/^#[\d,]+/);
    expect(await sh('tlb')).toBeTruthy();
    await store.getState().goTo({ type: 'vmexit' }, true);
    expect(await sh('vmcs')).toMatch(/GUEST_RIP|EPT/i);
    expect(await sh('vmcs NO_SUCH_FIELD')).toMatch(/no VMCS field/);
    // Some walk happened: ept explains it.
    const evs = await store.getState().events(0, 2000);
    const w = evs.find((e) => e.type === 'walk');
    expect(w?.type).toBe('walk');
    await store.getState().seek(w!.seq);
    if (w?.type === 'walk') expect(await sh(`ept ${w.va}`)).toMatch(/walk of 0x[0-9a-f]+ at #[\d,]+: \d+ references\n .*read 0x/);
    expect(await sh('ept 0x1234567000')).toMatch(/no page walk/);
    expect(await sh('ept zz')).toMatch(/not an address/);
    expect((await sh('events 0 2')).trim().split('\n')).toHaveLength(2);
  });

  it('file commands: ls, cat, cp, mv, rm, edit, samples, check', async () => {
    const { sh, fs, edits } = setup();
    expect(await sh('ls')).toContain('loop.s');
    expect(await sh('ls /samples')).toMatch(/hello-linux\.s {2}\(ro\)/);
    expect(await sh('cat /samples/hello-linux.s')).toContain('_start:');
    await sh('cp /samples/hello-linux.s /home');
    expect(fs.files.has('/home/hello-linux.s')).toBe(true);
    await sh('mv hello-linux.s h.s');
    expect(fs.files.has('/home/h.s')).toBe(true);
    await sh('rm h.s');
    expect(fs.files.has('/home/h.s')).toBe(false);
    expect(await sh('rm /samples/hello-linux.s')).toMatch(/^rm: .*read-only/);
    expect(await sh('cat /home')).toMatch(/is a directory/);
    await sh('edit new.s');
    expect(edits).toEqual(['/home/new.s']);
    expect(await sh('samples')).toContain('/samples/hello-dune.s');
    fs.files.set('/home/ok.s', '.text\n_start:\n  mov rax, 60\n  mov rdi, 0\n  syscall\n');
    expect(await sh('check ok.s')).toBe('ok\n');
    fs.files.set('/home/bad.s', '.text\n_start:\n  movv rax, 1\n');
    expect(await sh('check bad.s')).toMatch(/bad\.s:3:3: error/);
  });

  it('check does not disturb the run the views show', async () => {
    const { sh, store, fs } = setup();
    await sh('run /samples/hello-linux.s');
    await sh('reset');
    await sh('step 5');
    const at = store.getState().cursor;
    fs.files.set('/home/bad.s', 'movv\n');
    await sh('check bad.s');
    await sh('step');
    expect(store.getState().cursor).toBe(at + 1);
    expect(store.getState().view?.stdout).toBeDefined();
  });

  it('unknown commands and bad arguments get one line and a hint; help and history', async () => {
    const { sh, shell } = setup();
    expect(await sh('rgs')).toBe("rgs: unknown command; did you mean 'regs'? (help lists the commands)\n");
    expect(await sh('qqqqqqqq')).toBe('qqqqqqqq: unknown command (help lists the commands)\n');
    expect(await sh('step many')).toMatch(/^step: 'many' is not a number \(usage: step \[N\]\)\n$/);
    expect(await sh('help')).toContain('run FILE');
    expect(await sh('help vmcs')).toContain('vmcs [FIELD]');
    expect(await sh('help nope')).toMatch(/unknown command/);
    expect(await sh('x 0x1000')).toMatch(/^x: no program loaded/);
    expect(await sh('history')).toContain('help vmcs');
    expect(shell.history.at(-1)).toBe('history');
    expect(await sh('   ')).toBe('');
    expect(await sh('cat "unterminated')).toMatch(/^cat: /);
  });

  it('Ctrl-C returns at once while a command still waits', async () => {
    const engine = inThreadEngine();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const slow: EngineClient = { ...engine, compare: async () => { await gate; throw new Error('late'); } };
    const { shell, store } = setup(slow);
    let out = '';
    const sh2 = new Shell({ fs: memVfs(), engine: slow, store: () => store.getState(), print: (s) => { out += s; } });
    const ac = new AbortController();
    const p = sh2.execute('bench paper', ac.signal);
    setTimeout(() => ac.abort(), 10);
    await p;
    expect(out).toMatch(/\^C\n$/);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(out).toMatch(/\^C\n$/); // nothing printed after the interrupt
    expect(shell.history).toEqual([]);
  });

  it('Tab completion: command names, then file names', async () => {
    const { shell } = setup();
    expect(shell.complete('he', 2)).toEqual({ from: 0, candidates: ['help'] });
    await shell.refresh();
    expect(shell.complete('run /samples/hello-l', 20).candidates).toEqual(['/samples/hello-linux.s']);
    expect(shell.complete('cat lo', 6)).toEqual({ from: 4, candidates: ['loop.s'] });
    expect(shell.complete('ls /sa', 6).candidates).toEqual(['/samples/']);
  });

  it('download saves a file or the run\'s trace as JSON lines; upload copies into /home without overwriting', async () => {
    const { shell, sh, fs, store } = setup();
    const saved: { name: string; text: string; mime: string }[] = [];
    let pick: { name: string; text: string } | null = { name: 'loop.s', text: '.text\n_start:\n    hlt\n' };
    const host = (shell as unknown as { host: ShellHost }).host;
    host.download = (name, text, mime) => { saved.push({ name, text, mime }); };
    host.upload = async () => pick;

    expect(await sh('download loop.s')).toBe('downloading loop.s\n');
    expect(saved[0]).toEqual({ name: 'loop.s', text: '.text\n_start:\n    jmp _start\n', mime: 'text/plain;charset=utf-8' });
    expect(await sh('download --trace')).toMatch(/^download: no program/);
    await sh('run /samples/hello-linux.s');
    expect(await sh('download --trace')).toMatch(/^downloading hello-linux\.trace\.jsonl: [\d,]+ events\n$/);
    const trace = saved[1].text.trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number });
    expect(trace).toHaveLength(store.getState().loaded!.total);
    expect(trace.map((e) => e.seq)).toEqual(trace.map((_, i) => i));
    expect(saved[1].mime).toMatch(/^application\/x-ndjson/);
    expect(await sh('download /home/none.s')).toMatch(/^download: \/home\/none\.s: no such file/);

    expect(await sh('upload')).toBe('uploaded /home/loop-1.s (4 lines)\n');
    expect(await fs.read('/home/loop-1.s')).toBe('.text\n_start:\n    hlt\n');
    expect(await fs.read('/home/loop.s')).toBe('.text\n_start:\n    jmp _start\n'); // untouched
    pick = null;
    expect(await sh('upload')).toBe('upload cancelled\n');
    host.upload = () => Promise.reject(new Error("'a.txt' is not a .s file"));
    expect(await sh('upload')).toMatch(/^upload: 'a\.txt' is not a \.s file/);
  });

  it('x examines memory at the cursor: host-virtual in a Linux process, guest-virtual through the EPT in Dune', { timeout: 60_000 }, async () => {
    const { sh, store } = setup();
    expect(await sh('x 0x401000')).toMatch(/^x: no program/);
    await sh('run /samples/hello-linux.s');
    const linux = await sh('x 0x401000 32');
    expect(linux.split('\n')[0]).toMatch(/^virtual 0x401000: through the process's page tables/);
    expect(linux).toMatch(/^0x401000  48 65 6c 6c 6f 20 66 72 6f 6d .*\|Hello from a Lin\|  pa 0x[0-9a-f]+$/m);
    expect(linux).toMatch(/^0x401010  .*\|ux process!\.\.\.\.\.\|/m);
    expect(await sh('x 0x7f0000000000 16')).toMatch(/^0x7f0000000000  not mapped$/m);
    expect(await sh('x zz')).toMatch(/^x: 'zz' is not an address/);
    expect(await sh('x 0x401000 999')).toMatch(/^x: N must be 1 to 256 bytes/);

    // In VMX non-root (after the first VM exit, back at the guest), the same virtual address
    // is a guest-virtual one: guest page tables, then the EPT, give a different host page.
    await sh('run /samples/hello-dune.s');
    const perform = (id: string) => ACTIONS.find((a) => a.id === id)!.perform(store.getState());
    await perform('next-vmexit');
    expect(store.getState().view!.vmx).toBe('root'); // at the exit; the guest state is saved in the VMCS
    const dune = await sh('x 0x401000 16');
    expect(dune.split('\n')[0]).toMatch(/^guest-virtual 0x401000: through the Dune process's page tables, then the EPT/);
    expect(dune).toMatch(/^0x401000  48 65 6c 6c 6f .*\|Hello from a Dun\|  gpa 0x[0-9a-f]+ hpa 0x[0-9a-f]+$/m);
  });
});
