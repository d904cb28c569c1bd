// The timeline's event cache (src/ui/state/eventBlocks.ts): blocks a cursor answer brings are
// read without a fetch; a missing block is fetched once and announced; a block held stays as it is.

import { describe, it, expect } from 'vitest';
import { EventBlocks } from '../../../src/ui/state/eventBlocks.ts';
import { EVENT_BLOCK } from '../../../src/ui/worker/protocol.ts';
import type { TraceEvent } from '../../../src/ui/engineClient.ts';

const ev = (seq: number, rip = '0x1'): TraceEvent => ({ seq, type: 'instr', rip } as unknown as TraceEvent);
const block = (b: number, rip?: string) => ({ block: b, events: Array.from({ length: EVENT_BLOCK }, (_, i) => ev(b * EVENT_BLOCK + i, rip)) });

describe('EventBlocks', () => {
  it('gives rows from blocks put by a cursor answer, fetching only what is missing', async () => {
    const asked: [number, number][] = [];
    const cache = new EventBlocks(async (from, to) => { asked.push([from, to]); return block(from / EVENT_BLOCK).events; });
    cache.put([block(3)]);
    expect(cache.range(3 * EVENT_BLOCK + 10, 3 * EVENT_BLOCK + 20)!.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 3 * EVENT_BLOCK + 10 + i));
    expect(asked).toEqual([]);
    // Rows across into block 4: fetched once, null until it is there, then announced.
    let told = 0;
    cache.subscribe(() => told++);
    expect(cache.range(4 * EVENT_BLOCK - 2, 4 * EVENT_BLOCK + 2)).toBeNull();
    expect(cache.range(4 * EVENT_BLOCK - 2, 4 * EVENT_BLOCK + 2)).toBeNull();
    await Promise.resolve(); await Promise.resolve();
    expect(asked).toEqual([[4 * EVENT_BLOCK, 5 * EVENT_BLOCK]]);
    expect(told).toBe(1);
    expect(cache.range(4 * EVENT_BLOCK - 2, 4 * EVENT_BLOCK + 2)!.length).toBe(4);
  });

  it('keeps the first copy of a block, and a fetch answered after a put does not replace it', async () => {
    let answer: (evs: TraceEvent[]) => void = () => {};
    const cache = new EventBlocks(() => new Promise((r) => { answer = r; }));
    expect(cache.range(0, 5)).toBeNull();
    const v = cache.version;
    cache.put([block(0, '0xa')]);
    expect(cache.version).toBeGreaterThan(v);
    answer(block(0, '0xb').events);
    await Promise.resolve(); await Promise.resolve();
    expect(cache.range(0, 1)![0]).toMatchObject({ rip: '0xa' });
    cache.put([block(0, '0xc')]);
    expect(cache.range(0, 1)![0]).toMatchObject({ rip: '0xa' });
    expect(new EventBlocks(async () => []).id).not.toBe(cache.id);
  });
});
