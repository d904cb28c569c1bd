// Where /home lives for the page's file store (vfs.ts): IndexedDB (one transaction per change,
// damaged records swept into quarantine on open) or memory. The storage layout is described at
// the top of vfs.ts.

import { files as msg } from '../messages/index.ts';
import { normalizeOk, under } from './paths.ts';

export const SCHEMA = 1;

export interface QuarantineEntry { key: string; store: string; originalKey: string }

export class ConflictError extends Error {
  constructor(readonly path: string, readonly expected: number, readonly found: number) {
    super(msg.vfs.conflict(path));
    this.name = 'ConflictError';
  }
}

/** FNV-1a over UTF-16 code units, as 8 hex digits. */
export function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(16).padStart(8, '0');
}

interface FileRecord { schema: number; path: string; text: string; sum: string; version?: number }
const versionOf = (v: unknown) => (v === undefined ? 0 : typeof (v as FileRecord).version === 'number' ? (v as FileRecord).version! : 1);

function validRecord(key: IDBValidKey, v: unknown): v is FileRecord {
  if (typeof key !== 'string' || !v || typeof v !== 'object') return false;
  const r = v as Partial<FileRecord>;
  return r.schema === SCHEMA && r.path === key && typeof r.text === 'string' && typeof r.sum === 'string'
    && (r.version === undefined || Number.isSafeInteger(r.version)) && under(key, '/home') && normalizeOk(key) && checksum(r.text) === r.sum;
}

// ---------------------------------------------------------------------------------------------
// Backends: where /home lives. commit() is atomic.

export interface Backend {
  persistent: boolean;
  keys(): Promise<string[]>;
  get(path: string): Promise<string | undefined>;
  version(path: string): Promise<number>;
  /** Atomic; with expect, only if that file's version is still expect.version (else ConflictError).
   *  Resolves to the new version of each put path. */
  commit(puts: [string, string][], deletes: string[], fault?: () => void, expect?: { path: string; version: number }): Promise<Map<string, number>>;
  quarantine(): Promise<QuarantineEntry[]>;
  quarantined(key: string): Promise<unknown>;
  /** Atomically: put text at path (as commit does) and drop quarantine key. */
  unquarantine(key: string, path: string, text: string): Promise<void>;
  close(): void;
}

export function memoryBackend(): Backend {
  const m = new Map<string, { text: string; version: number }>();
  const b: Backend = {
    persistent: false,
    keys: async () => [...m.keys()],
    get: async (p) => m.get(p)?.text,
    version: async (p) => m.get(p)?.version ?? 0,
    async commit(puts, deletes, fault, expect) {
      if (expect && (m.get(expect.path)?.version ?? 0) !== expect.version) throw new ConflictError(expect.path, expect.version, m.get(expect.path)?.version ?? 0);
      fault?.();
      const out = new Map<string, number>();
      for (const d of deletes) m.delete(d);
      for (const [p, t] of puts) { const v = (m.get(p)?.version ?? 0) + 1; m.set(p, { text: t, version: v }); out.set(p, v); }
      return out;
    },
    quarantine: async () => [],
    quarantined: async () => undefined,
    async unquarantine() { throw new Error('nothing is quarantined'); },
    close() {},
  };
  return b;
}

const req = <T>(r: IDBRequest<T>) => new Promise<T>((res, rej) => {
  r.onsuccess = () => res(r.result);
  r.onerror = () => rej(r.error ?? new Error('IndexedDB request failed'));
});
const done = (tx: IDBTransaction) => new Promise<void>((res, rej) => {
  tx.oncomplete = () => res();
  tx.onabort = () => rej(tx.error ?? new Error('aborted'));
  tx.onerror = () => { /* onabort follows */ };
});

function openDb(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((res, rej) => {
    const r = factory.open(name, SCHEMA);
    r.onupgradeneeded = () => {
      const db = r.result;
      for (const s of ['files', 'meta', 'quarantine']) if (!db.objectStoreNames.contains(s)) db.createObjectStore(s);
    };
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error ?? new Error('cannot open IndexedDB'));
    r.onblocked = () => { /* another tab holds an older version open; open proceeds when it closes */ };
  });
}

/** Checks every stored record; moves the damaged ones to quarantine in one transaction. */
async function sweep(db: IDBDatabase, notice: (m: string) => void): Promise<void> {
  const tx = db.transaction(['files', 'meta', 'quarantine'], 'readwrite');
  const finished = done(tx);
  const files = tx.objectStore('files'), meta = tx.objectStore('meta'), q = tx.objectStore('quarantine');
  const [keys, values, schema, qkeys] = await Promise.all([
    req(files.getAllKeys()), req(files.getAll()), req(meta.get('schema')), req(q.getAllKeys()),
  ]);
  const taken = new Set(qkeys.map(String));
  const qkey = (base: string) => {
    let k = base;
    for (let n = 2; taken.has(k); n++) k = `${base} (${n})`;
    taken.add(k);
    return k;
  };
  const label = (k: IDBValidKey, i: number) => (typeof k === 'string' ? k : `#${i}`);
  const wrongSchema = schema !== undefined && schema !== SCHEMA;
  const bad: string[] = [];
  keys.forEach((k, i) => {
    if (!wrongSchema && validRecord(k, values[i])) return;
    q.put({ store: 'files', key: k, value: values[i] }, qkey(`files:${label(k, i)}`));
    files.delete(k);
    bad.push(label(k, i));
  });
  if (wrongSchema) q.put({ store: 'meta', key: 'schema', value: schema }, qkey('meta:schema'));
  if (schema !== SCHEMA) meta.put(SCHEMA, 'schema');
  await finished;
  if (wrongSchema) notice(msg.vfs.wrongSchema(safeDescribe(schema)));
  else if (bad.length) notice(msg.vfs.quarantined(bad));
}

function safeDescribe(v: unknown): string {
  try { return `schema ${JSON.stringify(v)?.slice(0, 40) ?? String(v)}`; } catch { return 'unknown schema'; }
}

export async function idbBackend(factory: IDBFactory, name: string, notice: (m: string) => void): Promise<Backend> {
  const db = await openDb(factory, name);
  db.onversionchange = () => db.close();
  await sweep(db, notice);
  return {
    persistent: true,
    async keys() {
      const tx = db.transaction('files', 'readonly');
      return (await req(tx.objectStore('files').getAllKeys())).filter((k): k is string => typeof k === 'string');
    },
    async get(path) {
      const tx = db.transaction('files', 'readonly');
      const v: unknown = await req(tx.objectStore('files').get(path));
      if (v === undefined) return undefined;
      if (!validRecord(path, v)) throw new Error(msg.vfs.damagedRecord(path));
      return v.text;
    },
    async version(path) {
      const tx = db.transaction('files', 'readonly');
      return versionOf(await req(tx.objectStore('files').get(path)));
    },
    commit(puts, deletes, fault, expect) {
      const tx = db.transaction('files', 'readwrite');
      const finished = done(tx);
      const store = tx.objectStore('files');
      const versions = new Map<string, number>();
      let failure: unknown = null;
      // The old versions are read in the same transaction as the writes: nobody can save between.
      const paths = [...new Set([...puts.map(([p]) => p), ...(expect ? [expect.path] : [])])];
      const write = () => {
        try {
          const found = expect ? versions.get(expect.path) ?? 0 : 0;
          if (expect && found !== expect.version) throw new ConflictError(expect.path, expect.version, found);
          for (const d of deletes) store.delete(d);
          for (const [path, text] of puts)
            store.put({ schema: SCHEMA, path, text, sum: checksum(text), version: (versions.get(path) ?? 0) + 1 } satisfies FileRecord, path);
          fault?.();
        } catch (e) {
          failure = e;
          try { tx.abort(); } catch { /* already finished */ }
        }
      };
      let pending = paths.length;
      if (!pending) write();
      for (const p of paths) {
        const r = store.get(p);
        r.onsuccess = () => { versions.set(p, versionOf(r.result)); if (--pending === 0) write(); };
      }
      return finished.then(() => new Map(puts.map(([p]) => [p, (versions.get(p) ?? 0) + 1])), (e) => { throw failure ?? e; });
    },
    async quarantined(key) {
      const tx = db.transaction('quarantine', 'readonly');
      return req(tx.objectStore('quarantine').get(key));
    },
    async unquarantine(key, path, text) {
      const tx = db.transaction(['files', 'quarantine'], 'readwrite');
      const finished = done(tx);
      const files = tx.objectStore('files');
      const r = files.get(path);
      r.onsuccess = () => {
        files.put({ schema: SCHEMA, path, text, sum: checksum(text), version: versionOf(r.result) + 1 } satisfies FileRecord, path);
        tx.objectStore('quarantine').delete(key);
      };
      return finished;
    },
    async quarantine() {
      const tx = db.transaction('quarantine', 'readonly');
      const s = tx.objectStore('quarantine');
      const [ks, vs] = await Promise.all([req(s.getAllKeys()), req(s.getAll())]);
      return ks.map((k, i) => {
        const v = vs[i] as { store?: unknown; key?: unknown } | undefined;
        return { key: String(k), store: String(v?.store ?? '?'), originalKey: String(v?.key ?? '?') };
      });
    },
    close: () => db.close(),
  };
}
