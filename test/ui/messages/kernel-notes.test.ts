// Kernel events in the page: each carries its note (id + parameters); the English catalog renders
// it as the trace's detail, byte for byte; Chinese renders every note seen in real runs in
// Chinese; the trace's JSON line leaves the note out (so traces stay as they were).

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleSource, Session } from '../../../src/engine/session.ts';
import { filesReader } from '../../../src/engine/asm/index.ts';
import { ArraySink, traceLine, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { NOTE_TEXT, type NoteId } from '../../../src/engine/trace/notes.ts';
import { rep } from '../../../src/engine/report.ts';
import { noteText } from '../../../src/ui/messages/noteText.ts';
import { sayReport } from '../../../src/ui/messages/reportText.ts';
import { messages } from '../../../src/ui/messages/index.ts';
import { setLocale } from '../../../src/ui/messages/locale.ts';
import { summarize } from '../../../src/ui/panels/machine/eventSummary.ts';
import { eventRows } from '../../../src/ui/shell/eventFields.ts';

afterEach(() => setLocale('en'));
type Kernel = Extract<TraceEvent, { type: 'kernel' }>;

function kernelEvents(source: string, file: string, budget = 3_000_000): Kernel[] {
  const a = assembleSource(source, file, filesReader({}));
  if (!a.ok) throw new Error(a.diagnostics);
  const sink = new ArraySink();
  (sink as { kinds?: ReadonlySet<string> }).kinds = new Set(['kernel']);
  new Session(a.program, { sink, file }).run(budget);
  return sink.events.filter((e): e is Kernel => e.type === 'kernel');
}
const sample = (p: string) => kernelEvents(readFileSync(`samples/${p}`, 'utf8'), p);
const SEGV = `.text\n_start:\n    mov rax, [0x10]\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n`;

const runs = [sample('lessons/intercept-linux.s'), sample('lessons/ept-lazy.s'), sample('lessons/trap-dune.s'), kernelEvents(SEGV, 'segv.s')];
const all = runs.flat();
const seen = new Set(all.map((e) => e.note!.id));

describe('kernel notes', () => {
  it('the English details are the trace\'s words from before notes existed (dce2fe5), byte for byte', () => {
    // `fn: detail` per kernel event, one per line, hashed; the hashes were taken at dce2fe5 with
    // the same runs (and the segv run's two lines written out).
    const digest = (r: Kernel[]) => [r.length, createHash('sha256').update(r.map((e) => `${e.fn}: ${e.detail}`).join('\n')).digest('hex')];
    expect(runs.map(digest)).toEqual([
      [33, 'a751609a22eab0db317c29d348ec7243ff95382c5bf4630a53b6714860ded0b9'],
      [8246, '4c50beaee7d4101b2615065564a655dbe39f733e6d8398d09de46a339b8043b3'],
      [8244, '8c5d013b8aaf80e8c27a7ce8d2ade3c7907a8c4ef34bd290487ccf9d04c35cdc'],
      [2, '875c33803b16379f0ea85363edb32bc86d569960ac74b88dbfeadb97b30fec49'],
    ]);
    expect(runs[3].map((e) => `${e.fn}: ${e.detail}`)).toEqual(['execve: pid 1 segv.s: text 0x400000, entry 0x400000, brk 0x401000',
      'force_sig: segv.s[1]: segfault at 0x10 ip 0x400000 sp 0x7ffffffff000 error 4']);
  });

  it('every kernel event carries a note, and English renders it as the trace\'s detail', () => {
    expect(all.length).toBeGreaterThan(1000);
    expect(all.filter((e) => !e.note)).toEqual([]);
    const differ = all.filter((e) => noteText(e) !== e.detail).map((e) => [e.note!.id, e.detail, noteText(e)]);
    expect(differ).toEqual([]);
    for (const id of ['execve', 'fork', 'cowCopy', 'ptraceStop', 'eptFill', 'eptCleared', 'unmapped', 'duneEnter', 'duneInit', 'reinjected', 'reportLine', 'exited'] as NoteId[]) {
      expect(seen, id).toContain(id);
    }
  });

  it('Chinese renders every note seen in Chinese, with the code names and addresses kept', () => {
    setLocale('zh-CN');
    const notChinese = all.filter((e) => !/[\u4e00-\u9fff]/.test(noteText(e))).map((e) => e.detail);
    expect(notChinese).toEqual([]);
    const fill = all.find((e) => e.note!.id === 'eptFill')!;
    expect(noteText(fill)).toContain((fill.note!.args as { gpa: string }).gpa);
    expect(noteText(fill)).toMatch(/^GPA 0x[0-9a-f]+（HVA 0x[0-9a-f]+）-> HPA 0x[0-9a-f]+：EPT 表项 R/);
    // The timeline's line and the event detail's row follow the locale; the function name stays.
    expect(summarize(fill)).toMatch(/^vmx_do_ept_fault: GPA .*EPT 表项/);
    expect(eventRows(fill).find((r) => r[0] === 'detail')![2]).toBe(noteText(fill));
    expect(eventRows(fill).some((r) => r[0] === 'note')).toBe(false);
    setLocale('en');
    expect(summarize(fill)).toBe(`vmx_do_ept_fault: ${fill.detail}`);
  });

  it('force_sig\'s note is the report\'s first line: one text, said alike in the trace, stderr and the page', () => {
    const a = assembleSource(SEGV, 'segv.s', filesReader({}));
    if (!a.ok) throw new Error(a.diagnostics);
    const sink = new ArraySink();
    const s = new Session(a.program, { sink, file: 'segv.s' });
    s.run(3_000_000);
    const e = sink.events.find((x): x is Kernel => x.type === 'kernel' && x.fn === 'force_sig')!;
    const first = s.kernel.reportMsgs[0];
    expect(e.note).toEqual({ id: 'reportLine', args: { line: first } });
    expect(e.detail).toBe(s.kernel.report[0]);
    setLocale('zh-CN');
    expect(noteText(e)).toBe(sayReport(first));
    expect(noteText(e)).toBe('segv.s[1]：段错误，地址 0x10，ip 0x400000，sp 0x7ffffffff000，错误码 4');
  });

  it('the trace line leaves the note out: the same JSON as before notes existed', () => {
    const e = all.find((x) => x.note!.id === 'execve')!;
    const { note: _n, ...plain } = e;
    expect(traceLine(e)).toBe(JSON.stringify(plain));
    expect(traceLine(e)).not.toContain('note');
    expect(Object.keys(JSON.parse(traceLine(e)))).toEqual(['seq', 'type', 'fn', 'detail', 'cycles', 'vmx', 'cpl']);
  });

  it('the notes no run here reaches still render in English as the engine wrote them', () => {
    const deadlock = rep('deadlock', { procs: [rep('deadlock-blocked', { pid: 2, call: 'wait4' }), rep('deadlock-stopped', { pid: 3, signal: 'SIGSTOP', kind: 'signal' })] });
    expect(NOTE_TEXT.reportLine({ line: deadlock }))
      .toBe('deadlock: no runnable process: pid 2 blocked in wait4; pid 3 stopped (SIGSTOP, signal) waiting for its tracer');
    expect(NOTE_TEXT.eptCleared({ why: 'munmap', n: 1, start: '0x1000', len: '0x1000' })).toBe('munmap: 1 EPT entry cleared for 0x1000+0x1000');
    expect(NOTE_TEXT.reportLine({ line: rep('trap', { who: 'a[1]', vec: '#UD', trap: 'invalid opcode', ip: '0x40' }) })).toBe('a[1]: #UD (invalid opcode) ip 0x40');
    setLocale('zh-CN');
    expect(noteText({ detail: 'x', note: { id: 'reportLine', args: { line: deadlock } } }))
      .toBe('死锁：没有可运行的进程：pid 2 阻塞在 wait4；pid 3 已停止（SIGSTOP，signal），等待其跟踪者');
    const e = { detail: 'x', note: { id: 'eptRefused' as const, args: { reason: rep('ept-no-host-pte', { page: '0x7000' }) } } };
    expect(noteText(e)).toBe('拒绝：ept：0x7000 没有宿主 PTE');
    const launch = { detail: 'x', note: { id: 'launchFailed' as const, args: { why: rep('vm-instr-error', { error: 4, check: 'launch-non-clear', arg: '' }) } } };
    expect(noteText(launch)).toBe('VMLAUNCH 失败：VMLAUNCH 的 VMCS 不是 clear 状态（VM-instruction error 4）');
    expect(NOTE_TEXT.launchFailed(launch.note.args)).toBe('VMLAUNCH failed: VMLAUNCH with a non-clear VMCS');
    expect(NOTE_TEXT.eptRefused({ reason: rep('ept-no-user-page', { page: '0x1000', write: true }) }))
      .toBe('refused: ept: failed to get user page 0x1000 for writing (no such mapping in the process)');
    // An exception's cause (the event detail's `why`) in the same words as the notes.
    expect(messages.event.why('divide by zero')).toBe('除以零');
    expect(messages.event.why('not present at level 2')).toBe('第 2 级表项不存在');
  });
});
