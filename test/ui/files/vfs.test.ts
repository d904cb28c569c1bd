import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createVfs, checksum, normalizePath } from '../../../src/ui/files/vfs.ts';

let n = 0;
const fresh = () => `vfs-test-${++n}`;
const samples = [{ name: 'hello.s', source: 'mov rax, 1\n' }, { name: 'bench/x.s', source: 'nop\n' }];

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

describe('vfs', () => {
  it('persists /home across a reload (a new createVfs on the same dbName)', async () => {
    const db = fresh();
    const a = await createVfs({ dbName: db, samples });
    expect(a.persistent).toBe(true);
    await a.write('/home/hello.s', 'one\n');
    await a.write('/home/dir/two.s', 'two\n');
    a.close();
    const notices: string[] = [];
    const b = await createVfs({ dbName: db, samples, onNotice: (m) => notices.push(m) });
    expect(await b.read('/home/hello.s')).toBe('one\n');
    expect(await b.list('/home')).toEqual([
      { name: 'hello.s', dir: false, readonly: false },
      { name: 'dir', dir: true, readonly: false },
    ]);
    expect(await b.read('/home/dir/two.s')).toBe('two\n');
    expect(notices).toEqual([]);
  });

  it('lists the root and the samples, read-only', async () => {
    const v = await createVfs({ dbName: fresh(), samples });
    expect(await v.list('/')).toEqual([{ name: 'home', dir: true, readonly: false }, { name: 'samples', dir: true, readonly: true }]);
    expect(await v.list('/samples')).toEqual([{ name: 'hello.s', dir: false, readonly: true }, { name: 'bench', dir: true, readonly: true }]);
    expect(await v.read('/samples/bench/x.s')).toBe('nop\n');
    expect(await v.exists('/samples/bench')).toBe(true);
    expect(await v.exists('/samples/nope.s')).toBe(false);
  });

  it('refuses to change /samples with a clear message', async () => {
    const v = await createVfs({ dbName: fresh(), samples });
    const ro = 'read-only: /samples holds the originals; copy to /home first';
    await expect(v.write('/samples/hello.s', 'x')).rejects.toThrow(ro);
    await expect(v.remove('/samples/hello.s')).rejects.toThrow(ro);
    await expect(v.rename('/samples/hello.s', '/home/h.s')).rejects.toThrow(ro);
    await v.write('/home/a.s', 'a');
    await expect(v.rename('/home/a.s', '/samples/a.s')).rejects.toThrow(ro);
    expect(await v.read('/samples/hello.s')).toBe('mov rax, 1\n');
  });

  it('gives errors for bad paths, directories and missing files', async () => {
    const v = await createVfs({ dbName: fresh(), samples });
    await expect(v.read('/home/none.s')).rejects.toThrow('no such file: /home/none.s');
    await expect(v.read('/home')).rejects.toThrow('is a directory');
    await expect(v.write('/etc/x.s', 'x')).rejects.toThrow('your files live in /home');
    await expect(v.read('relative.s')).rejects.toThrow('not an absolute path');
    await expect(v.list('/home/nodir')).rejects.toThrow('no such directory');
    await expect(v.remove('/home/none.s')).rejects.toThrow('no such file');
    expect(normalizePath('/home/./a/../b.s')).toBe('/home/b.s');
    expect(await v.exists('not absolute')).toBe(false);
  });

  it('removes and renames (into a directory too)', async () => {
    const v = await createVfs({ dbName: fresh(), samples });
    await v.write('/home/a.s', 'A');
    await v.write('/home/d/keep.s', 'K');
    await v.rename('/home/a.s', '/home/b.s');
    expect(await v.exists('/home/a.s')).toBe(false);
    expect(await v.read('/home/b.s')).toBe('A');
    await v.rename('/home/b.s', '/home/d');
    expect(await v.read('/home/d/b.s')).toBe('A');
    await v.remove('/home/d/b.s');
    expect(await v.exists('/home/d/b.s')).toBe(false);
  });

  it('a write that fails mid-transaction leaves the previous content intact', async () => {
    const db = fresh();
    let fail = false;
    const v = await createVfs({ dbName: db, samples, faultBeforeCommit: () => { if (fail) throw new Error('tab closed'); } });
    await v.write('/home/p.s', 'version 1\n');
    fail = true;
    await expect(v.write('/home/p.s', 'version 2, half writ')).rejects.toThrow(/could not save \/home\/p.s .*previous version is intact/);
    await expect(v.rename('/home/p.s', '/home/q.s')).rejects.toThrow();
    expect(await v.read('/home/p.s')).toBe('version 1\n');
    expect(await v.exists('/home/q.s')).toBe(false);
    v.close();
    const again = await createVfs({ dbName: db, samples });
    expect(await again.read('/home/p.s')).toBe('version 1\n');
  });

  it('sets damaged records aside, reports them and keeps the good ones', async () => {
    const db = fresh();
    const a = await createVfs({ dbName: db, samples });
    await a.write('/home/good.s', 'good\n');
    await a.write('/home/flipped.s', 'original\n');
    a.close();
    await rawPut(db, '/home/junk.s', 'not a record');
    await rawPut(db, '/home/flipped.s', { schema: 1, path: '/home/flipped.s', text: 'origiXal\n', sum: checksum('original\n') });
    await rawPut(db, 42, { whatever: true });
    const notices: string[] = [];
    const b = await createVfs({ dbName: db, samples, onNotice: (m) => notices.push(m) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/3 damaged stored files .*set aside, not deleted: .*\/home\/flipped\.s.*\/home\/junk\.s/);
    expect(await b.read('/home/good.s')).toBe('good\n');
    expect(await b.exists('/home/junk.s')).toBe(false);
    const q = await b.quarantine();
    expect(q.map((e) => e.key).sort()).toEqual(['files:#0', 'files:/home/flipped.s', 'files:/home/junk.s']);
    b.close();
    // The same damage again gets a distinct deterministic key; nothing is overwritten.
    await rawPut(db, '/home/junk.s', 'junk again');
    const c = await createVfs({ dbName: db, samples });
    expect((await c.quarantine()).map((e) => e.key)).toContain('files:/home/junk.s (2)');
    c.close();
  });

  it('a wrong schema version: everything set aside, reported, /home starts clean', async () => {
    const db = fresh();
    const a = await createVfs({ dbName: db, samples });
    await a.write('/home/x.s', 'x');
    a.close();
    await rawPut(db, 'schema', 99, 'meta');
    const notices: string[] = [];
    const b = await createVfs({ dbName: db, samples, onNotice: (m) => notices.push(m) });
    expect(notices[0]).toMatch(/format this version does not read .*set aside, not deleted/);
    expect(await b.list('/home')).toEqual([]);
    expect((await b.quarantine()).map((e) => e.key).sort()).toEqual(['files:/home/x.s', 'meta:schema']);
    await b.write('/home/y.s', 'y');
    b.close();
    const c = await createVfs({ dbName: db, samples, onNotice: (m) => notices.push(m) });
    expect(notices).toHaveLength(1);
    expect(await c.read('/home/y.s')).toBe('y');
  });

  it('a database from a newer version is left untouched; works in memory and says so', async () => {
    const db = fresh();
    await new Promise<void>((res) => { const r = indexedDB.open(db, 7); r.onsuccess = () => { r.result.close(); res(); }; });
    const notices: string[] = [];
    const v = await createVfs({ dbName: db, samples, onNotice: (m) => notices.push(m) });
    expect(v.persistent).toBe(false);
    expect(notices[0]).toMatch(/newer Dune Lab/);
    await v.write('/home/a.s', 'a');
    expect(await v.read('/home/a.s')).toBe('a');
  });

  it('restoreSamples: lists without changing; restores named /home copies on request', async () => {
    const v = await createVfs({ dbName: fresh(), samples });
    expect(await v.restoreSamples()).toEqual([
      { name: 'hello.s', original: '/samples/hello.s', homeCopy: '/home/hello.s', copied: false, modified: false },
      { name: 'bench/x.s', original: '/samples/bench/x.s', homeCopy: '/home/bench/x.s', copied: false, modified: false },
    ]);
    expect(await v.list('/home')).toEqual([]);
    await v.write('/home/hello.s', 'my edits');
    expect((await v.restoreSamples())[0]).toMatchObject({ copied: true, modified: true });
    expect(await v.read('/home/hello.s')).toBe('my edits');
    const st = await v.restoreSamples({ names: ['hello.s'] });
    expect(st[0]).toMatchObject({ copied: true, modified: false });
    expect(await v.read('/home/hello.s')).toBe('mov rax, 1\n');
    await expect(v.restoreSamples({ names: ['nope.s'] })).rejects.toThrow('no such sample: nope.s');
  });

  it('uses the bundled samples by default', async () => {
    const v = await createVfs({ dbName: fresh() });
    const names = (await v.list('/samples')).map((e) => e.name);
    expect(names).toContain('hello-dune.s');
    expect(names).toContain('bench');
  });
});
