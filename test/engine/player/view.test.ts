// The machine view's TLB rows (src/engine/player/view.ts): built from the TLBs' slots, and, while
// the TLBs hold the same tags and translations, the same array as before (not built again).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Player } from '../../../src/engine/player/player.ts';
import { machineView } from '../../../src/engine/player/view.ts';
import { TF, type Tlb } from '../../../src/engine/mmu/tlb.ts';
import { hex, hexVa } from '../../../src/engine/trace/events.ts';
import type { Session } from '../../../src/engine/session.ts';

/** The rows as the view built them at every call before (slot order, 4 KiB TLB first). */
function rows(s: Session) {
  const out: unknown[] = [];
  for (const t of [s.machine.mmu.tlb4k, s.machine.mmu.tlb2m] as Tlb[]) {
    for (let i = 0; i < t.entries; i++) {
      if (t.vpn[i] === -1) continue;
      const f = t.flags[i];
      out.push({ va: hexVa(t.vpn[i] * 2 ** t.shift), size: t.shift === 21 ? '2M' : '4K', vpid: Math.floor(t.ctx[i] / 4096), pcid: t.ctx[i] % 4096,
        ept: t.ep[i] ? hex(t.ep[i] * 4096) : null, hpa: hex(t.frame[i] * 4096),
        flags: { rw: !!(f & TF.RW), us: !!(f & TF.US), nx: !!(f & TF.NX), dirty: !!(f & TF.DIRTY), global: !!(f & TF.G) } });
    }
  }
  return out;
}

describe('machine view: TLB rows', () => {
  const record = () => {
    const p = new Player();
    const r = p.load({ source: readFileSync('samples/getpid-dune.s', 'utf8'), file: 'getpid-dune.s' });
    if (!r.ok) throw new Error(r.diagnostics);
    return p;
  };
  it('are the TLBs\' rows whatever was viewed before, and the same array while the TLBs are unchanged', () => {
    const p = record(), q = record();
    const at = [5, 300, Math.floor(p.total / 2), p.total - 40, p.total - 1, 300, Math.floor(p.total / 3)];
    const seen = new Set<unknown>();
    for (const seq of at) {
      const v = p.seek(seq).view;
      // Again at the same cursor, nothing viewed in between: the same array.
      expect(p.seek(seq).view.tlb).toBe(v.tlb);
      seen.add(v.tlb);
      // The machine after the cursor's event: rows built from its TLBs as before.
      expect(machineView(p.inspect((s) => s)).tlb, `at ${seq}`).toEqual(p.inspect(rows));
      // Another history (the start viewed in between): the same rows at the cursor.
      q.seek(0);
      expect(q.seek(seq).view.tlb, `at ${seq}`).toEqual(v.tlb);
    }
    // The TLB changes along the run: new rows, not one array for every cursor.
    expect(seen.size).toBeGreaterThan(2);
  });
});
