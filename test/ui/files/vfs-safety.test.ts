// Storage never loses work (issue 12 §2): versions checked on save, other tabs told of changes,
// keep-both on a conflict, drafts across a reload, quarantined records restored or exported, and
// a full store that says so and keeps the text.

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createVfs, ConflictError, type FileChange } from '../../../src/ui/files/vfs.ts';

let n = 0;
const fresh = () => `vfs-safety-${++n}`;
const samples = [{ name: 'hello.s', source: 'mov rax, 1\n' }];

/** A localStorage stand-in that outlives the stores using it (a reload keeps localStorage). */
function storage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

function rawPut(dbName: string, key: unknown, value: unknown, store = 'files'): Promise<void> {
  return new Promise((res, rej) => {
    const r = indexedDB.open(dbName);
    r.onsuccess = () => {
      const db = r.result;
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).put(value, key as IDBValidKey);
      tx.oncomplete = () => { db.close(); res(); };
      tx.onabort = () => rej(tx.error);
    };
    r.onerror = () => rej(r.error);
  });
}

describe('two tabs on the same file', () => {
  it('the second save from a stale version is refused (ConflictError), not a silent overwrite; keepBoth saves it beside', async () => {
    const db = fresh();
    const tabA = await createVfs({ dbName: db, samples }), tabB = await createVfs({ dbName: db, samples });
    await tabA.write('/home/p.s', 'v0\n');
    const base = await tabA.version('/home/p.s');
    expect(base).toBe(1);
    expect(await tabB.version('/home/p.s')).toBe(1);
    await tabA.write('/home/p.s', 'A\n', { ifVersion: base });
    expect(await tabA.version('/home/p.s')).toBe(2);
    const err = await tabB.write('/home/p.s', 'B\n', { ifVersion: base }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).found).toBe(2);
    expect((err as Error).message).toMatch(/\/home\/p\.s was saved elsewhere .*nothing was overwritten/);
    expect(await tabB.read('/home/p.s')).toBe('A\n');
    expect(await tabB.keepBoth('/home/p.s', 'B\n')).toBe('/home/p-1.s');
    expect(await tabA.read('/home/p-1.s')).toBe('B\n');
    expect(await tabA.read('/home/p.s')).toBe('A\n');
    // ifVersion 0: create only.
    await expect(tabA.write('/home/p.s', 'x', { ifVersion: 0 })).rejects.toBeInstanceOf(ConflictError);
    // A plain write (the old API) still works.
    await tabA.write('/home/p.s', 'plain\n');
    expect(await tabB.read('/home/p.s')).toBe('plain\n');
    tabA.close(); tabB.close();
  });

  it('other tabs are told of each change through BroadcastChannel', async () => {
    const db = fresh();
    const tabA = await createVfs({ dbName: db, samples }), tabB = await createVfs({ dbName: db, samples });
    const seen: FileChange[] = [];
    const stop = tabB.onChange((c) => seen.push(c));
    await tabA.write('/home/q.s', 'one\n');
    await tabA.write('/home/q.s', 'two\n');
    await tabA.rename('/home/q.s', '/home/r.s');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([{ path: '/home/q.s', version: 1 }, { path: '/home/q.s', version: 2 }, { path: '/home/q.s', version: 0 }, { path: '/home/r.s', version: 1 }]);
    stop();
    tabA.close(); tabB.close();
  });
});

describe('drafts', () => {
  it('unsaved text survives a reload (a new store on the same storage) until dropped', async () => {
    const db = fresh(), ls = storage();
    const a = await createVfs({ dbName: db, samples, localStorage: ls });
    a.saveDraft('/home/d.s', 'typed but not saved\n', 0);
    a.close();
    const b = await createVfs({ dbName: db, samples, localStorage: ls });
    expect(b.draft('/home/d.s')).toEqual({ text: 'typed but not saved\n', base: 0 });
    b.dropDraft('/home/d.s');
    expect(b.draft('/home/d.s')).toBeNull();
    ls.m.set(`${db}:draft:/home/e.s`, '{not json');
    expect(b.draft('/home/e.s')).toBeNull();
    b.close();
  });
});

describe('quarantine: see, restore, export', () => {
  it('a damaged record is listed, restored beside an existing file of its name, and gone from quarantine', async () => {
    const db = fresh();
    const first = await createVfs({ dbName: db, samples });
    await first.write('/home/x.s', 'current\n');
    first.close();
    await rawPut(db, '/home/x.s', { schema: 1, path: '/home/x.s', text: 'older work\n', sum: 'bad' });
    await rawPut(db, '/home/junk', 42);
    const notices: string[] = [];
    const v = await createVfs({ dbName: db, samples, onNotice: (m) => notices.push(m) });
    expect(notices[0]).toMatch(/set aside, not deleted/);
    const q = await v.quarantine();
    expect(q.map((e) => e.key).sort()).toEqual(['files:/home/junk', 'files:/home/x.s']);
    expect(await v.exportQuarantined('files:/home/junk')).toBe(JSON.stringify({ store: 'files', key: '/home/junk', value: 42 }, null, 2));
    await expect(v.restoreQuarantined('files:/home/junk')).rejects.toThrow(/holds no readable text to restore; export it instead/);
    await v.write('/home/x.s', 'current again\n');
    expect(await v.restoreQuarantined('files:/home/x.s')).toBe('/home/x-1.s');
    expect(await v.read('/home/x-1.s')).toBe('older work\n');
    expect(await v.read('/home/x.s')).toBe('current again\n');
    expect((await v.quarantine()).map((e) => e.key)).toEqual(['files:/home/junk']);
    await expect(v.restoreQuarantined('files:nope')).rejects.toThrow(/nothing set aside under files:nope/);
    v.close();
  });
});

describe('a full store', () => {
  it('says the storage is full and that the text is kept; the previous version survives', async () => {
    const db = fresh();
    let full = false;
    const v = await createVfs({ dbName: db, samples, faultBeforeCommit: () => { if (full) throw new DOMException('quota', 'QuotaExceededError'); } });
    await v.write('/home/big.s', 'old\n');
    full = true;
    await expect(v.write('/home/big.s', 'new\n')).rejects.toThrow(/storage for this page is full\. Your text is kept/);
    full = false;
    expect(await v.read('/home/big.s')).toBe('old\n');
    v.close();
  });
});
