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
import { files as msg } from '../messages/index.ts';
import { normalizePath, normalizeOk, basename, under, inSamples, inHome } from './paths.ts';
import { SCHEMA, ConflictError, checksum, memoryBackend, idbBackend, type Backend, type QuarantineEntry } from './backend.ts';

export { normalizePath, SCHEMA, ConflictError, checksum };
export type { QuarantineEntry };
export type { Vfs };

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


/** A write that required the version it started from found another one: someone (another tab)
 *  saved the file in between. Nothing was written. */
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
