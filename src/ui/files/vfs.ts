// The virtual file system of the terminal: /samples (the bundled sample programs, read-only) and
// /home (the student's files, persisted in IndexedDB).
//
// Storage (IndexedDB database `dune-lab-files` unless opts.dbName says otherwise, version 1):
//   files       key = absolute path (/home/...), value = { schema: 1, path, text, sum, version }
//               `sum` is a checksum of text: a record that fails it is damaged. `version` counts
//               the saves of the file (absent in older records: 1); a write may require the
//               version it started from, so two tabs never silently overwrite each other.
//   meta        key 'schema' -> 1
//   quarantine  key = 'files:' + the damaged record's key (or 'meta:schema', or 'files:#N' for a
//               key that is not a string), with ' (2)', ' (3)'… appended if taken. No timestamps:
//               the same damage yields the same key. Value = { store, key, value } as found.
//
// Atomicity: every change (write, remove, rename, restoreSamples) is ONE IndexedDB transaction;
// IndexedDB commits a transaction entirely or not at all, so a closed tab or a crash mid-save
// leaves the previous version of the file. A failure inside the transaction aborts it.
//
// Other tabs: after each change the store posts { path, version } on the BroadcastChannel
// 'dune-lab-files:<dbName>'; onChange tells the page. Drafts (unsaved editor text) live in
// localStorage under '<dbName>:draft:<path>', written synchronously so a crash keeps them.
//
// Damage: on open, every record is checked (shape, schema, checksum). A damaged record is moved
// to `quarantine` (in the same transaction as its removal from `files`) and onNotice tells the
// user which paths were set aside; everything readable stays. A `meta` schema other than 1 sets
// every record aside and /home starts empty. If the database was created by a newer version
// (IndexedDB VersionError) or IndexedDB is unavailable, nothing is touched: the VFS works in
// memory for the session and onNotice says so.

import type { Vfs } from '../terminal/vfs-interface.ts';
import { SAMPLE_FILES, type Sample } from '../samples.ts';
import { files as msg } from '../messages/files.ts';

export type { Vfs };

export const SCHEMA = 1;
export const DEFAULT_DB_NAME = 'dune-lab-files';
/** The largest file /home accepts (characters). */
export const MAX_FILE_CHARS = 4 * 1024 * 1024;

export interface SampleStatus {
  /** The sample's name, relative to /samples (e.g. 'hello-dune.s', 'bench/getpid-dune.s'). */
  name: string;
  /** /samples/NAME: the original, always present (bundled with the app). */
  original: string;
  /** /home/NAME: the conventional place of the student's copy. */
  homeCopy: string;
  /** Whether /home/NAME exists, and if so whether it differs from the original. */
  copied: boolean;
  modified: boolean;
}

export interface QuarantineEntry { key: string; store: string; originalKey: string }

/** A write that required the version it started from found another one: someone (another tab)
 *  saved the file in between. Nothing was written. */
export class ConflictError extends Error {
  constructor(readonly path: string, readonly expected: number, readonly found: number) {
    super(msg.vfs.conflict(path));
    this.name = 'ConflictError';
  }
}

export interface WriteOptions {
  /** Write only if the file's version is still this one (0: the file must not exist). */
  ifVersion?: number;
}

/** A change to /home, from this tab or another. version 0: the file was removed. */
export interface FileChange { path: string; version: number }

/** Unsaved editor text kept across a reload or a crash; base is the file version it started from. */
export interface Draft { text: string; base: number }

export interface FileStore extends Vfs {
  /**
   * The `samples` command. The originals in /samples are bundled with the app and read-only: they
   * can never be lost or changed, so there is nothing in /samples to restore.
   * - Without names: changes nothing; returns every sample with the state of its /home copy.
   * - With names: overwrites /home/NAME with the original of each named sample (one transaction;
   *   an unknown name fails it all), i.e. "restore my copy to the original". Only on request:
   *   the student's edits are never discarded otherwise.
   */
  restoreSamples(opts?: { names?: string[] }): Promise<SampleStatus[]>;
  /** Write text; with ifVersion, only if nobody saved the file since (else ConflictError).
   *  Resolves to the file's new version. */
  write(path: string, text: string, opts?: WriteOptions): Promise<number>;
  /** How many times the file was saved (0: no such file): pass it back as ifVersion. */
  version(path: string): Promise<number>;
  /** path itself if free, else the first free NAME-1.s, NAME-2.s, ... beside it. */
  freePath(path: string): Promise<string>;
  /** Keep both after a conflict: write text under a free name beside path; returns that name. */
  keepBoth(path: string, text: string): Promise<string>;
  /** Changes made by other tabs (and other stores in this one); returns the unsubscribe. */
  onChange(listener: (c: FileChange) => void): () => void;
  /** Drafts: unsaved text, kept synchronously (a crash right after still keeps it). */
  saveDraft(path: string, text: string, base: number): void;
  draft(path: string): Draft | null;
  dropDraft(path: string): void;
  /** What was set aside because it was damaged (for a command that shows it). */
  quarantine(): Promise<QuarantineEntry[]>;
  /** Put a quarantined file's text back as a file (at `to`, default its own path or a free name
   *  beside it) and drop it from quarantine; returns the path. Fails if it holds no text. */
  restoreQuarantined(key: string, to?: string): Promise<string>;
  /** A quarantined record as JSON text, exactly as found (for a download). */
  exportQuarantined(key: string): Promise<string>;
  /** Whether files survive a reload (false: the in-memory fallback). */
  readonly persistent: boolean;
  close(): void;
}

export interface VfsOptions {
  dbName?: string;
  /** Tells the user something they must know (damaged data set aside, no persistence). */
  onNotice?: (message: string) => void;
  /** The bundled samples (tests may pass their own). */
  samples?: readonly Sample[];
  /** The IndexedDB factory (default: globalThis.indexedDB). */
  indexedDB?: IDBFactory;
  /** Test only: called inside a write's transaction after the new record is put, before it
   *  commits. Throwing aborts the transaction, as a crash mid-save would. */
  faultBeforeCommit?: (path: string) => void;
  /** Where drafts live (default: globalThis.localStorage, else memory). */
  localStorage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

// ---------------------------------------------------------------------------------------------
// Paths

/** Normalizes an absolute path: collapses //, . and ..; no trailing slash (except '/'). */
export function normalizePath(p: string): string {
  if (typeof p !== 'string' || !p.startsWith('/')) throw new Error(msg.vfs.notAbsolute(String(p)));
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') { out.pop(); continue; }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f\\]/.test(part)) throw new Error(msg.vfs.badName(p));
    out.push(part);
  }
  return '/' + out.join('/');
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const under = (p: string, dir: string) => p.startsWith(dir === '/' ? '/' : dir + '/');
const inSamples = (p: string) => p === '/samples' || under(p, '/samples');
const inHome = (p: string) => p === '/home' || under(p, '/home');

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
function normalizeOk(p: string) { try { return normalizePath(p) === p; } catch { return false; } }

// ---------------------------------------------------------------------------------------------
// Backends: where /home lives. commit() is atomic.

interface Backend {
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

function memoryBackend(): Backend {
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

async function idbBackend(factory: IDBFactory, name: string, notice: (m: string) => void): Promise<Backend> {
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

// ---------------------------------------------------------------------------------------------

export async function createVfs(opts: VfsOptions = {}): Promise<FileStore> {
  const notice = opts.onNotice ?? (() => {});
  const samples = new Map((opts.samples ?? SAMPLE_FILES).map((s) => [`/samples/${s.name}`, s.source]));
  const factory = opts.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;

  let backend: Backend;
  if (!factory) {
    backend = memoryBackend();
    notice(msg.vfs.noIndexedDb('IndexedDB is not available'));
  } else {
    try {
      backend = await idbBackend(factory, opts.dbName ?? DEFAULT_DB_NAME, notice);
    } catch (e) {
      backend = memoryBackend();
      notice((e as { name?: string })?.name === 'VersionError' ? msg.vfs.newerDb : msg.vfs.noIndexedDb(errText(e)));
    }
  }

  const homeKeys = async () => (await backend.keys()).filter((k) => under(k, '/home'));
  const sampleDirs = () => dirsOf([...samples.keys()]);
  const isDir = async (p: string) =>
    p === '/' || p === '/home' || p === '/samples' || sampleDirs().has(p)
    || (inHome(p) && dirsOf(await homeKeys()).has(p));
  const isFile = async (p: string) =>
    inSamples(p) ? samples.has(p) : inHome(p) && p !== '/home' && (await backend.get(p).catch(() => '')) !== undefined;

  const writable = (p: string) => {
    if (inSamples(p)) throw new Error(msg.vfs.readOnly);
    if (!inHome(p) || p === '/home') throw new Error(msg.vfs.onlyHome(p));
  };
  const fault = (p: string) => (opts.faultBeforeCommit ? () => opts.faultBeforeCommit!(p) : undefined);
  const dbName = opts.dbName ?? DEFAULT_DB_NAME;
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`dune-lab-files:${dbName}`);
  const listeners = new Set<(c: FileChange) => void>();
  if (channel) channel.onmessage = (e: MessageEvent) => {
    const c = e.data as FileChange;
    if (c && typeof c.path === 'string' && typeof c.version === 'number') for (const l of listeners) l(c);
  };
  const commit = async (label: string, puts: [string, string][], deletes: string[], expect?: { path: string; version: number }) => {
    let versions: Map<string, number>;
    try { versions = await backend.commit(puts, deletes, fault(label), expect); }
    catch (e) {
      if (e instanceof ConflictError) throw e;
      if ((e as { name?: string })?.name === 'QuotaExceededError') throw new Error(msg.vfs.full(label));
      throw new Error(msg.vfs.writeFailed(label, errText(e)));
    }
    for (const d of deletes) if (!versions.has(d)) channel?.postMessage({ path: d, version: 0 } satisfies FileChange);
    for (const [path, version] of versions) channel?.postMessage({ path, version } satisfies FileChange);
    return versions;
  };
  const drafts = draftStore(opts.localStorage === undefined ? (globalThis as { localStorage?: Storage }).localStorage ?? null : opts.localStorage, dbName);
  /** A parent of p that is a file (a path cannot go through a file). */
  const checkParents = async (p: string) => {
    for (let d = p.slice(0, p.lastIndexOf('/')); d.length > '/home'.length; d = d.slice(0, d.lastIndexOf('/')))
      if (await isFile(d)) throw new Error(msg.vfs.notDir(d));
  };

  const store: FileStore = {
    persistent: backend.persistent,

    async list(dir) {
      const d = normalizePath(dir);
      if (d === '/') return [
        { name: 'home', dir: true, readonly: false },
        { name: 'samples', dir: true, readonly: true },
      ];
      if (await isFile(d)) throw new Error(msg.vfs.notDir(d));
      if (!(await isDir(d))) throw new Error(msg.vfs.noSuchDir(d));
      const paths = inSamples(d) ? [...samples.keys()] : await homeKeys();
      const ro = inSamples(d);
      const seen = new Map<string, boolean>();
      for (const p of paths) {
        if (!under(p, d)) continue;
        const rest = p.slice(d.length + 1);
        const slash = rest.indexOf('/');
        const name = slash < 0 ? rest : rest.slice(0, slash);
        seen.set(name, (seen.get(name) ?? false) || slash >= 0);
      }
      return [...seen].map(([name, isD]) => ({ name, dir: isD, readonly: ro }))
        .sort((a, b) => (a.dir === b.dir ? a.name.localeCompare(b.name) : a.dir ? 1 : -1));
    },

    async read(path) {
      const p = normalizePath(path);
      if (inSamples(p)) {
        const s = samples.get(p);
        if (s !== undefined) return s;
      } else if (inHome(p) && p !== '/home') {
        const t = await backend.get(p);
        if (t !== undefined) return t;
      }
      if (await isDir(p)) throw new Error(msg.vfs.isDir(p));
      throw new Error(msg.vfs.noSuchFile(p));
    },

    async write(path, text, o = {}) {
      const p = normalizePath(path);
      writable(p);
      if (typeof text !== 'string') throw new Error(msg.vfs.badName(p));
      if (text.length > MAX_FILE_CHARS) throw new Error(msg.vfs.tooBig(p, MAX_FILE_CHARS));
      if (await isDir(p)) throw new Error(msg.vfs.isDir(p));
      await checkParents(p);
      return (await commit(p, [[p, text]], [], o.ifVersion === undefined ? undefined : { path: p, version: o.ifVersion })).get(p)!;
    },

    async version(path) {
      const p = normalizePath(path);
      return inHome(p) ? backend.version(p) : 0;
    },

    async freePath(path) {
      const p = normalizePath(path);
      if (!(await store.exists(p))) return p;
      const dot = basename(p).lastIndexOf('.');
      const stem = dot > 0 ? p.slice(0, p.length - basename(p).length + dot) : p, ext = dot > 0 ? basename(p).slice(dot) : '';
      for (let i = 1; ; i++) if (!(await store.exists(`${stem}-${i}${ext}`))) return `${stem}-${i}${ext}`;
    },

    async keepBoth(path, text) {
      const to = await store.freePath(path);
      await store.write(to, text, { ifVersion: 0 });
      return to;
    },

    onChange(l) { listeners.add(l); return () => { listeners.delete(l); }; },
    saveDraft: (path, text, base) => drafts.save(normalizePath(path), text, base),
    draft: (path) => drafts.get(normalizePath(path)),
    dropDraft: (path) => drafts.drop(normalizePath(path)),

    async remove(path) {
      const p = normalizePath(path);
      writable(p);
      if (await isDir(p)) throw new Error(msg.vfs.isDir(p));
      if (!(await isFile(p))) throw new Error(msg.vfs.noSuchFile(p));
      await commit(p, [], [p]);
    },

    async rename(from, to) {
      const f = normalizePath(from);
      let t = normalizePath(to);
      writable(f);
      if (await isDir(f)) throw new Error(msg.vfs.isDir(f));
      const text = await store.read(f);
      if (await isDir(t)) t = t === '/' ? t + basename(f) : `${t}/${basename(f)}`;
      writable(t);
      if (t === f) return;
      if (await isDir(t)) throw new Error(msg.vfs.isDir(t));
      await checkParents(t);
      await commit(f, [[t, text]], [f]);
    },

    async exists(path) {
      let p: string;
      try { p = normalizePath(path); } catch { return false; }
      return (await isDir(p)) || (await isFile(p));
    },

    async restoreSamples(o = {}) {
      if (o.names?.length) {
        const puts: [string, string][] = o.names.map((n) => {
          const name = normalizePath('/' + n).slice(1).replace(/^samples\//, '');
          const src = samples.get(`/samples/${name}`);
          if (src === undefined) throw new Error(msg.vfs.unknownSample(n));
          return [`/home/${name}`, src];
        });
        for (const [p] of puts) { if (await isDir(p)) throw new Error(msg.vfs.isDir(p)); await checkParents(p); }
        await commit('/home', puts, []);
      }
      const out: SampleStatus[] = [];
      for (const [orig, src] of samples) {
        const name = orig.slice('/samples/'.length);
        const homeCopy = `/home/${name}`;
        const mine = await backend.get(homeCopy).catch(() => undefined);
        out.push({ name, original: orig, homeCopy, copied: mine !== undefined, modified: mine !== undefined && mine !== src });
      }
      return out;
    },

    quarantine: () => backend.quarantine(),

    async restoreQuarantined(key, to) {
      const q = await backend.quarantined(key) as { store?: unknown; key?: unknown; value?: { text?: unknown } } | undefined;
      if (q === undefined) throw new Error(msg.vfs.noSuchQuarantined(key));
      const text = q.value?.text;
      if (typeof text !== 'string') throw new Error(msg.vfs.noTextInQuarantine(key));
      let dest: string;
      if (to !== undefined) dest = normalizePath(to);
      else {
        const orig = typeof q.key === 'string' && q.store === 'files' && normalizeOk(q.key) && under(q.key, '/home') ? q.key : '/home/restored.s';
        dest = await store.freePath(orig);
      }
      writable(dest);
      if (await store.exists(dest)) throw new Error(msg.vfs.exists(dest));
      await checkParents(dest);
      try { await backend.unquarantine(key, dest, text); }
      catch (e) { throw new Error(msg.vfs.writeFailed(dest, errText(e))); }
      channel?.postMessage({ path: dest, version: await backend.version(dest) } satisfies FileChange);
      return dest;
    },

    async exportQuarantined(key) {
      const q = await backend.quarantined(key);
      if (q === undefined) throw new Error(msg.vfs.noSuchQuarantined(key));
      try { return JSON.stringify(q, null, 2) ?? String(q); } catch { return String(q); }
    },

    close: () => { channel?.close(); backend.close(); },
  };
  return store;
}

/** Drafts in localStorage (memory if there is none); a full localStorage drops the draft quietly:
 *  the text is still in the editor. */
function draftStore(ls: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null, dbName: string) {
  const mem = new Map<string, string>();
  const key = (p: string) => `${dbName}:draft:${p}`;
  const get = (k: string) => { try { return ls ? ls.getItem(k) : mem.get(k) ?? null; } catch { return null; } };
  return {
    save(p: string, text: string, base: number) {
      const v = JSON.stringify({ text, base } satisfies Draft);
      try { if (ls) ls.setItem(key(p), v); else mem.set(key(p), v); } catch { /* storage full: keep going */ }
    },
    get(p: string): Draft | null {
      const raw = get(key(p));
      if (raw === null) return null;
      try {
        const d = JSON.parse(raw) as Partial<Draft>;
        return typeof d.text === 'string' && typeof d.base === 'number' ? { text: d.text, base: d.base } : null;
      } catch { return null; }
    },
    drop(p: string) { try { if (ls) ls.removeItem(key(p)); else mem.delete(key(p)); } catch { /* nothing to do */ } },
  };
}

function dirsOf(paths: string[]): Set<string> {
  const s = new Set<string>();
  for (const p of paths) for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) s.add(p.slice(0, i));
  return s;
}

function errText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (e && typeof e === 'object' && 'name' in e) return String((e as { name: unknown }).name);
  return String(e);
}
