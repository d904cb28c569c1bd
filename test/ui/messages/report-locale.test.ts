// A run's stderr in the page: the guest's own text as written, then the host's report said by key
// in the UI's language; in English exactly the engine's stderr (the CLI's).

import { afterEach, describe, expect, it } from 'vitest';
import { assembleSource, Session } from '../../../src/engine/session.ts';
import { machineView } from '../../../src/engine/player/view.ts';
import { sayReport, sayStderr } from '../../../src/ui/messages/reportText.ts';
import { englishReport, rep } from '../../../src/engine/report.ts';
import { VMFAIL_TEXT, type VmfailCheck } from '../../../src/engine/vtx/vmfail.ts';
import { setLocale } from '../../../src/ui/messages/locale.ts';
import { REPORT_PROGRAMS } from '../../engine/report-programs.ts';

afterEach(() => setLocale('en'));

const views = REPORT_PROGRAMS.map((p) => {
  const a = assembleSource(p.src, 't.s');
  if (!a.ok) throw new Error(a.diagnostics);
  const s = new Session(a.program, { file: 't.s' });
  s.machine.instrLimit = p.budget ?? 5_000_000;
  s.run(p.budget ?? 5_000_000);
  return { name: p.name, v: machineView(s) };
});

describe('the report in the page', () => {
  it('in English: the engine\'s stderr, byte for byte', () => {
    for (const { v } of views) expect(sayStderr(v)).toBe(v.stderr);
  });

  it('in zh-CN: every line but the register dump is Chinese, none is the English', () => {
    setLocale('zh-CN');
    for (const { name, v } of views) {
      const zh = sayStderr(v).split('\n');
      const en = v.stderr.split('\n');
      v.report.forEach((m, i) => {
        if (m.key === 'regs') { expect(zh[i]).toBe(en[i]); return; }
        expect(zh[i], name).toMatch(/[\u4e00-\u9fff]/);
        expect(zh[i], name).not.toBe(en[i]);
      });
    }
    expect(sayStderr(views.find((x) => x.name === 'segfault')!.v).split('\n')[0]).toBe('t.s[1]：段错误，地址 0x10，ip 0x400007，sp 0x7ffffffff000，错误码 6');
  });

  it('in zh-CN the reasons inside a line too: an EPT refusal, a deadlock\'s processes, a VM-instruction error', () => {
    setLocale('zh-CN');
    const first = (name: string) => sayStderr(views.find((x) => x.name === name)!.v).split('\n')[0];
    expect(first('deadlock')).toBe('死锁：没有可运行的进程：pid 1 阻塞在 wait4；pid 2 已停止（SIGSTOP，signal），等待其跟踪者');
    expect(first('ept-violation')).toBe('dune：GPA 0x10000000 处的 EPT 违例（客户线性地址 0x10000000，退出限定 0x181）：ept：无法取得用户页 0x10000000（进程中没有这个映射）');
    const resume = rep('vmresume-failed', { why: rep('vm-instr-error', { error: 7, check: 'eptp', arg: '0x5f' }) });
    expect(sayReport(resume)).toBe('dune：VMRESUME 失败：VM 进入：EPTP 0x5f 无效（内存类型必须是 UC 或 WB，页表遍历长度为 4）（VM-instruction error 7）');
    setLocale('en');
    expect(sayReport(resume)).toBe('dune: VMRESUME failed: VM entry: invalid EPTP 0x5f (memory type must be UC or WB, walk length 4)');
    // Every check the model makes has its Chinese, and none is the English.
    for (const check of Object.keys(VMFAIL_TEXT) as VmfailCheck[]) {
      const m = rep('vm-instr-error', { error: 7, check, arg: '3' });
      setLocale('zh-CN');
      const zh = sayReport(m);
      expect(zh, check).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, check).not.toContain(englishReport(m));
      setLocale('en');
    }
  });
});
