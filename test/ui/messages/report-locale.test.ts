// A run's stderr in the page: the guest's own text as written, then the host's report said by key
// in the UI's language; in English exactly the engine's stderr (the CLI's).

import { afterEach, describe, expect, it } from 'vitest';
import { assembleSource, Session } from '../../../src/engine/session.ts';
import { machineView } from '../../../src/engine/player/view.ts';
import { sayStderr } from '../../../src/ui/messages/reportText.ts';
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
});
