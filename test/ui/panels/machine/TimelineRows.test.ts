// The timeline's row model: every event row maps back to itself, the fold row stands for its span
// when collapsed, and opened it heads the span's rows; windows that cut the span clip it.
import { describe, expect, it } from 'vitest';
import { FOLD, listRows, windowRows, type Rows } from '../../../../src/ui/panels/machine/TimelineRows.ts';

const all = (r: Rows) => Array.from({ length: r.count }, (_, i) => r.at(i));

describe('timeline rows with a fold', () => {
  it('round-trips and hides or heads the span, for windows inside, across and outside it', () => {
    const fold = { from: 20, to: 49 };
    for (const [base, size] of [[0, 100], [30, 10], [40, 30], [0, 20], [50, 10], [10, 15]]) {
      for (const open of [false, true]) {
        const r = windowRows(base, size, fold, open);
        const rows = all(r);
        const seqs = rows.filter((q) => q !== FOLD);
        const cut = base <= fold.to && base + size - 1 >= fold.from;
        expect(rows.filter((q) => q === FOLD).length, `${base}+${size}`).toBe(cut ? 1 : 0);
        expect(seqs.every((q) => q >= base && q < base + size)).toBe(true);
        seqs.forEach((q) => expect(rows[r.indexOf(q)]).toBe(q));
        if (!open) expect(seqs.some((q) => q >= fold.from && q <= fold.to)).toBe(false);
        else expect(seqs.length).toBe(size);
        if (cut && !open) expect(r.indexOf(Math.max(fold.from, base))).toBe(r.foldAt);
      }
    }
    expect(all(windowRows(15, 10, fold, false))).toEqual([15, 16, 17, 18, 19, FOLD]);
    expect(all(windowRows(15, 10, fold, true))).toEqual([15, 16, 17, 18, 19, FOLD, 20, 21, 22, 23, 24]);
  });

  it('over a filter\'s matches', () => {
    const r = listRows([3, 10, 25, 30, 60], { from: 20, to: 49 }, false, { from: 0, to: 99 });
    expect(all(r)).toEqual([3, 10, FOLD, 60]);
    expect(r.indexOf(30)).toBe(2);
    expect(r.indexOf(55)).toBe(2);
    expect(all(listRows([3, 10, 25, 30, 60], { from: 20, to: 49 }, true, { from: 0, to: 99 }))).toEqual([3, 10, FOLD, 25, 30, 60]);
    expect(all(listRows([3, 10], { from: 20, to: 49 }, false, { from: 0, to: 99 }))).toEqual([3, 10, FOLD]);
    expect(all(listRows([3, 10], { from: 200, to: 300 }, false, { from: 0, to: 99 }))).toEqual([3, 10]);
  });
});
