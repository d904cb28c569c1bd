// The editor never loses work (issue 12 §2): a save that finds the file saved by another tab keeps
// both; unsaved text survives the editor being closed under it (a reload, a crash) as a draft.

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openEditor, type EditorTerminal } from '../../../src/ui/editor/Editor.tsx';
import { createVfs } from '../../../src/ui/files/vfs.ts';

function fakeTerm(cols = 100, rows = 10) {
  let listener: ((d: string) => void) | null = null;
  const out: string[] = [];
  const term: EditorTerminal & { type(d: string): void; out: string[] } = {
    cols, rows, out,
    write: (d) => { out.push(d); },
    onData: (l) => { listener = l; return { dispose: () => { listener = null; } }; },
    type: (d) => listener?.(d),
  };
  return term;
}
const tick = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0)); };
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const memStorage = () => { const m = new Map<string, string>(); return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) }; };
const samples = [{ name: 'hello.s', source: 'nop\n' }];
let n = 0;

describe('editor safety', () => {
  it('two tabs edit one file: the second save keeps both, never overwriting the first', async () => {
    const db = `ed-safe-${++n}`;
    const tab1 = await createVfs({ dbName: db, samples, localStorage: memStorage() });
    const tab2 = await createVfs({ dbName: db, samples, localStorage: memStorage() });
    await tab1.write('/home/p.s', 'start\n');
    const t1 = fakeTerm(), t2 = fakeTerm();
    await openEditor({ term: t1, path: '/home/p.s', vfs: tab1, check: async () => [], onExit: () => {} });
    await openEditor({ term: t2, path: '/home/p.s', vfs: tab2, check: async () => [], onExit: () => {} });
    t1.type('one\r\x13'); await tick();
    t2.type('two\r\x13'); await tick();
    expect(await tab1.read('/home/p.s')).toBe('one\nstart\n');
    expect(await tab1.read('/home/p-1.s')).toBe('two\nstart\n');
    expect(plain(t2.out[t2.out.length - 1])).toContain('/home/p.s was saved in another tab meanwhile: both kept, yours is /home/p-1.s');
    // The first tab saves again from its new version: no conflict.
    t1.type('again\r\x13'); await tick();
    expect(await tab1.read('/home/p.s')).toBe('one\nagain\nstart\n');
  });

  it('unsaved text comes back after the editor was closed under it, as unsaved changes', async () => {
    const db = `ed-safe-${++n}`, ls = memStorage();
    const a = await createVfs({ dbName: db, samples, localStorage: ls });
    await a.write('/home/d.s', 'saved\n');
    const t = fakeTerm();
    const ed = await openEditor({ term: t, path: '/home/d.s', vfs: a, check: async () => [], onExit: () => {} });
    t.type('typed ');
    ed.dispose(); // the tab dies
    a.close();
    const b = await createVfs({ dbName: db, samples, localStorage: ls });
    const t2 = fakeTerm();
    const ed2 = await openEditor({ term: t2, path: '/home/d.s', vfs: b, check: async () => [], onExit: () => {} });
    expect(ed2.model().lines).toEqual(['typed saved']);
    expect(plain(t2.out.join(''))).toContain('your unsaved text from before the page was closed is back');
    expect(plain(t2.out.join(''))).toContain('[modified]');
    t2.type('\x13'); await tick();
    expect(await b.read('/home/d.s')).toBe('typed saved\n');
    expect(b.draft('/home/d.s')).toBeNull();
  });
});
