// The `quarantine` command lists damaged records set aside by the file store, restores one into
// /home (never over a file) or downloads it as JSON; "Copy to /home" from a share link keeps an
// existing /home/shared.s.

import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { Shell, type ShellHost } from '../../../src/ui/terminal/shell.ts';
import { createVfs } from '../../../src/ui/files/vfs.ts';
import { copySharedToHome } from '../../../src/ui/share/copy.ts';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';

let n = 0;
const samples = [{ name: 'hello.s', source: 'nop\n' }];

function rawPut(dbName: string, key: string, value: unknown): Promise<void> {
  return new Promise((res, rej) => {
    const r = indexedDB.open(dbName);
    r.onsuccess = () => {
      const tx = r.result.transaction('files', 'readwrite');
      tx.objectStore('files').put(value, key);
      tx.oncomplete = () => { r.result.close(); res(); };
      tx.onabort = () => rej(tx.error);
    };
  });
}

describe('quarantine command', () => {
  it('lists, exports and restores a damaged record', async () => {
    const db = `quarantine-cmd-${++n}`;
    (await createVfs({ dbName: db, samples })).close();
    await rawPut(db, '/home/lost.s', { schema: 1, path: '/home/lost.s', text: 'my work\n', sum: '00000000' });
    const fs = await createVfs({ dbName: db, samples });
    const engine = inThreadEngine(), store = createStore(engine, '');
    let out = '';
    const saved: { name: string; text: string }[] = [];
    const host: ShellHost = { fs, engine, store: () => store.getState(), print: (s) => { out += s; }, download: (name, text) => saved.push({ name, text }) };
    const shell = new Shell(host);
    const sh = async (l: string) => { out = ''; await shell.execute(l); return out; };
    expect(await sh('quarantine')).toBe('set aside because they were damaged (restore: quarantine restore KEY [FILE]; export: quarantine export KEY):\n  files:/home/lost.s  (files /home/lost.s)\n');
    expect(await sh('quarantine export files:/home/lost.s')).toMatch(/^downloading quarantine-files_home_lost.s.json/);
    expect(JSON.parse(saved[0].text)).toEqual({ store: 'files', key: '/home/lost.s', value: { schema: 1, path: '/home/lost.s', text: 'my work\n', sum: '00000000' } });
    await fs.write('/home/lost.s', 'newer\n');
    expect(await sh('quarantine restore files:/home/lost.s')).toBe('restored files:/home/lost.s as /home/lost-1.s\n');
    expect(await fs.read('/home/lost-1.s')).toBe('my work\n');
    expect(await fs.read('/home/lost.s')).toBe('newer\n');
    expect(await sh('quarantine')).toBe('nothing is set aside: no stored record was damaged\n');
    expect(await sh('quarantine restore')).toMatch(/^quarantine: missing KEY/);
    fs.close();
  });
});

describe('Copy to /home from a share link', () => {
  it('keeps an existing /home/shared.s and uses the next free name', async () => {
    const fs = await createVfs({ dbName: `share-copy-${++n}`, samples });
    expect(await copySharedToHome(fs, 'first\n')).toBe('/home/shared.s');
    expect(await copySharedToHome(fs, 'second\n')).toBe('/home/shared-1.s');
    expect(await fs.read('/home/shared.s')).toBe('first\n');
    expect(await fs.read('/home/shared-1.s')).toBe('second\n');
    fs.close();
  });
});
