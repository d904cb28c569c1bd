// The host's report as keys (src/engine/report.ts): each line a run's stderr ends with has a key,
// its English is the line, and the lines are byte-identical to before the keys (the golden file
// was made with the code before them, from report-programs.ts).

import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { assembleSource, Session } from '../../src/engine/session.ts';
import { REPORT_TEXT, englishReport, type ReportKey, type ReportMsg } from '../../src/engine/report.ts';
import { REPORT_PROGRAMS } from './report-programs.ts';

const golden: Record<string, { status: unknown; report: string[] }> = JSON.parse(readFileSync(new URL('./report-programs.golden.json', import.meta.url), 'utf8'));

describe('the report as keys', () => {
  const runs = REPORT_PROGRAMS.map((p) => {
    const a = assembleSource(p.src, 't.s');
    if (!a.ok) throw new Error(a.diagnostics);
    const s = new Session(a.program, { file: 't.s' });
    s.machine.instrLimit = p.budget ?? 5_000_000;
    const status = s.run(p.budget ?? 5_000_000);
    return { name: p.name, status, k: s.kernel };
  });

  it('byte-identical English, and every line has a key whose English is the line', () => {
    for (const r of runs) {
      expect({ status: r.status, report: r.k.report }, r.name).toEqual(golden[r.name]);
      expect(r.k.reportMsgs.map(englishReport), r.name).toEqual(r.k.report);
    }
  });

  it('each kind of line these runs give is among them (the rest: rarer paths, listed)', () => {
    // A line's reasons are lines too (an EPT fault's refusal, a deadlock's processes): count them.
    const keys = (m: ReportMsg): ReportKey[] => [m.key, ...Object.values(m.params).flatMap((v) =>
      (Array.isArray(v) ? v.flatMap(keys) : typeof v === 'object' ? keys(v) : []))];
    const seen = new Set(runs.flatMap((r) => r.k.reportMsgs.flatMap(keys)));
    // Not reached by these programs: the OOM killer, a bad signal frame, VMRESUME failing, a
    // kernel-mode fault, a host triple fault (budget.test.ts reaches it and reads its line), the
    // EPT refusals other than a missing mapping (dune/units.test.ts reads their English).
    const rare = new Set<ReportKey>(['oom', 'bad-signal-frame', 'vmresume-failed', 'vm-instr-error', 'bug-kernel-mode', 'triple-fault',
      'ept-no-linear', 'ept-beyond-limit', 'ept-no-host-pte']);
    expect((Object.keys(REPORT_TEXT) as ReportKey[]).filter((k) => !seen.has(k) && !rare.has(k))).toEqual([]);
  });

  it('a snapshot keeps the keys with the lines', () => {
    const r = runs.find((x) => x.name === 'segfault')!;
    const saved = r.k.save();
    r.k.reportMsgs = []; r.k.report = [];
    r.k.restore(saved);
    expect(r.k.reportMsgs.map(englishReport)).toEqual(golden.segfault.report);
  });
});
