// The terminal's command interpreter. It drives the same store the views show (run loads into
// it, the debugger commands move its cursor and share its breakpoints) and the file system it is
// given. Debugger commands perform the shared ACTIONS (STYLE.md: one declaration per command).
// Nothing typed may throw out of execute(); Ctrl-C (the AbortSignal) returns at once.

import type { EngineClient, TraceEvent } from '../engineClient.ts';
import type { Store } from '../state/store.ts';
import { ACTIONS } from '../state/actions.ts';
import { KNOB_DOCS } from '../../engine/knobs.ts';
import { messages } from '../messages/index.ts';
import type { Vfs } from './vfs-interface.ts';
import type { Completion } from './lineEditor.ts';
import { toJsonLines } from '../files/transfer.ts';
import { EXAMINE_MAX } from '../../engine/player/memview.ts';

export type { Vfs } from './vfs-interface.ts';

export interface ShellHost {
  fs: Vfs;
  engine: EngineClient;
  store: () => Store;
  /** Text for the terminal; lines end in "\n". */
  print(text: string): void;
  /** Open a file in the editor (the app wires it); absent: `edit` says so. */
  edit?(path: string): void | Promise<void>;
  /** Save text as a file on the student's computer (the app wires the browser download). */
  download?(name: string, text: string, mime: string): void;
  /** Ask the student for a .s file from their computer: its name and text, or null if cancelled.
   *  Rejects with a message to show as it is (not a .s file, too big, binary). */
  upload?(): Promise<{ name: string; text: string } | null>;
}

const t = messages.terminal;
type Name = keyof typeof t.commands;

/** A bad argument: printed as one line with the command's usage. */
class UsageError extends Error {}

interface Ctx { host: ShellHost; args: string[]; out(text: string): void; signal: AbortSignal; shell: Shell }
interface Command { args?: 'file' | 'dir'; run(c: Ctx): Promise<void> | void }

export const HOME = '/home';
const TRACE_HEAD = 200;
/** The most events `download --trace` writes (about 200 bytes each as JSON). */
export const TRACE_DOWNLOAD_MAX = 200_000;
const TRACE_CHUNK = 2000;
/** How far back `ept` looks for a walk (events; fetched 2000 at a time). */
const EPT_SEARCH = 20_000;

/** Absolute, normalised path; relative paths are taken from /home. */
export function resolvePath(p: string): string {
  const parts: string[] = [];
  for (const s of (p.startsWith('/') ? p : `${HOME}/${p}`).split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') parts.pop(); else parts.push(s);
  }
  return '/' + parts.join('/');
}
const dirname = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Split a command line into words; "double" and 'single' quotes group. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"?|'([^']*)'?|(\S+)/g;
  for (let m; (m = re.exec(line));) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
function nearest(word: string, names: string[]): string | null {
  let best: string | null = null, d = Infinity;
  for (const n of names) {
    const dn = n.startsWith(word) ? 0 : distance(word.toLowerCase(), n.toLowerCase());
    if (dn < d) { d = dn; best = n; }
  }
  return d <= Math.max(2, Math.floor(word.length / 2)) ? best : null;
}

function arity(c: Ctx, min: number, max: number, what: string) {
  if (c.args.length < min) throw new UsageError(t.missing(what));
  if (c.args.length > max) throw new UsageError(t.extra(c.args[max]));
}
function int(s: string): number {
  if (!/^\d+$/.test(s)) throw new UsageError(t.badNumber(s));
  return Number(s);
}
function address(s: string): bigint {
  try { if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) return BigInt(s); } catch { /* fall through */ }
  throw new UsageError(t.badAddress(s));
}
function loaded(c: Ctx): Store {
  const s = c.host.store();
  if (!s.loaded) throw new Error(t.noProgram);
  return s;
}
const perform = (id: string, s: Store) => ACTIONS.find((a) => a.id === id)!.perform(s);

async function isDir(fs: Vfs, p: string): Promise<boolean> {
  if (p === '/') return true;
  try { return (await fs.list(dirname(p))).some((e) => e.name === basename(p) && e.dir); } catch { return false; }
}
async function readFile(fs: Vfs, p: string): Promise<string> {
  if (await isDir(fs, p)) throw new Error(t.isDir(p));
  return fs.read(p);
}
/** Where `cp`/`mv` put FROM: into TO if TO is a directory. */
async function target(fs: Vfs, from: string, to: string): Promise<string> {
  return (await isDir(fs, to)) ? `${to === '/' ? '' : to}/${basename(from)}` : to;
}

function describe(e: TraceEvent | null): string {
  if (!e) return '';
  const r = e as unknown as Record<string, unknown>;
  switch (e.type) {
    case 'instr': return `retired ${e.text}`;
    case 'walk': return `walk ${e.va} (${e.refs.length} refs)`;
    case 'vmexit': return `VM exit ${e.name}`;
    case 'syscall': return `syscall ${e.name} via ${e.via}`;
    case 'exception': return `exception ${e.name}`;
    case 'output': return `output ${JSON.stringify(e.text)}`;
    default: return [e.type, r.name ?? r.fn ?? r.op ?? r.kind ?? ''].join(' ').trim();
  }
}
/** One line: where the cursor is. */
function where(s: Store): string {
  const v = s.view;
  if (!v) return t.noProgram;
  const end = s.loaded && s.cursor >= s.loaded.total - 1 ? ` (${t.atEnd})` : '';
  return t.where(s.cursor, v.line, v.rip, v.vmx, v.cpl, describe(s.event)) + end + '\n';
}

const lines = (xs: string[]) => (xs.length ? xs.join('\n') + '\n' : '');

const COMMANDS: Record<Name, Command> = {
  help: {
    run(c) {
      arity(c, 0, 1, 'COMMAND');
      const [name] = c.args;
      if (name) {
        const h = (t.commands as Record<string, { usage: string; help: string }>)[name];
        if (!h) throw new UsageError(t.unknown(name, nearest(name, Object.keys(t.commands))));
        c.out(`${h.usage}\n  ${h.help}\n`);
        return;
      }
      const w = Math.max(...Object.values(t.commands).map((h) => h.usage.length));
      c.out(lines([t.helpHeader, ...Object.values(t.commands).map((h) => `  ${h.usage.padEnd(w)}  ${h.help.split('\n')[0]}`), t.helpKeys]));
    },
  },
  ls: {
    args: 'dir',
    async run(c) {
      arity(c, 0, 1, 'DIR');
      const dir = resolvePath(c.args[0] ?? HOME);
      const list = await c.host.fs.list(dir);
      c.out(lines(list.map((e) => e.name + (e.dir ? '/' : e.readonly ? '  (ro)' : ''))));
    },
  },
  cat: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE');
      const text = await readFile(c.host.fs, resolvePath(c.args[0]));
      c.out(text.endsWith('\n') || text === '' ? text : text + '\n');
    },
  },
  cp: {
    args: 'file',
    async run(c) {
      arity(c, 2, 2, 'FROM and TO');
      const from = resolvePath(c.args[0]);
      const text = await readFile(c.host.fs, from);
      await c.host.fs.write(await target(c.host.fs, from, resolvePath(c.args[1])), text);
    },
  },
  mv: {
    args: 'file',
    async run(c) {
      arity(c, 2, 2, 'FROM and TO');
      const from = resolvePath(c.args[0]);
      if (!(await c.host.fs.exists(from))) throw new Error(t.noFile(from));
      await c.host.fs.rename(from, await target(c.host.fs, from, resolvePath(c.args[1])));
    },
  },
  rm: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE');
      const p = resolvePath(c.args[0]);
      if (await isDir(c.host.fs, p)) throw new Error(t.isDir(p));
      await c.host.fs.remove(p);
    },
  },
  edit: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE');
      if (!c.host.edit) throw new Error(t.noEditor);
      await c.host.edit(resolvePath(c.args[0])); // the editor owns the terminal until it quits
    },
  },
  run: {
    args: 'file',
    async run(c) {
      let file: string | null = null, trace = false;
      const knobs: Record<string, string> = {};
      for (let i = 0; i < c.args.length; i++) {
        const a = c.args[i];
        if (a === '--trace') trace = true;
        else if (a === '--set' || a.startsWith('--set=')) {
          const kv = a === '--set' ? c.args[++i] : a.slice(6);
          if (kv === undefined) throw new UsageError(t.missing('KEY=VALUE after --set'));
          const [k, v = ''] = kv.split('=', 2);
          if (!Object.hasOwn(KNOB_DOCS, k)) throw new UsageError(t.badKnob(kv));
          if (v !== 'on' && v !== 'off') throw new UsageError(t.badKnobValue(k, v));
          knobs[k] = v;
        } else if (a.startsWith('-')) throw new UsageError(t.badOption(a));
        else if (file === null) file = a;
        else throw new UsageError(t.extra(a));
      }
      if (file === null) throw new UsageError(t.missing('FILE'));
      const path = resolvePath(file);
      const source = await readFile(c.host.fs, path);
      await c.host.store().loadProgram(source, knobs, basename(path));
      const s = c.host.store();
      if (!s.loaded) { c.out(t.diagnostics(s.diagnostics ?? '') + '\n'); return; }
      if (trace) {
        const n = Math.min(TRACE_HEAD, s.loaded.total);
        const evs: TraceEvent[] = [];
        while (evs.length < n) {
          const more = await c.host.engine.events(evs.length, n);
          if (more.length === 0) break;
          evs.push(...more);
        }
        c.out(lines(evs.map((e) => JSON.stringify(e))));
        if (n < s.loaded.total) c.out(t.traceMore(n, s.loaded.total) + '\n');
      }
      const o = s.output;
      if (o) {
        if (!trace) c.out(o.stdout);
        if (o.stderr) c.out(o.stderr.endsWith('\n') ? o.stderr : o.stderr + '\n');
        const exits = new Map<string, number>();
        for (const l of s.loaded.landmarks) if (l.event.type === 'vmexit') exits.set(l.event.name, (exits.get(l.event.name) ?? 0) + 1);
        c.out(t.summary(basename(path), t.exitHow(o.ok, o.exitCode), o.instructions, o.cycles,
          [...exits].map(([k, v]) => `${k}=${v}`).join(' ') || 'none') + '\n');
      }
      c.out(t.atStart + '\n');
    },
  },
  check: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE');
      const path = resolvePath(c.args[0]);
      const source = await readFile(c.host.fs, path);
      // The engine has one player: loading replaces the views' recording, so put it back after.
      const s = c.host.store();
      const r = await c.host.engine.load({ source, file: basename(path) });
      if (s.loaded) {
        await c.host.engine.load({ source: s.source, file: s.file, knobs: s.knobs });
        await c.host.engine.seek(c.host.store().cursor);
      }
      c.out((r.ok ? t.ok : r.diagnostics) + '\n');
    },
  },
  step: {
    async run(c) {
      arity(c, 0, 1, 'N');
      const n = c.args[0] ? int(c.args[0]) : 1;
      for (let i = 0; i < n && !c.signal.aborted; i++) await perform('next-event', loaded(c));
      c.out(where(c.host.store()));
    },
  },
  next: {
    async run(c) {
      arity(c, 0, 1, 'N');
      const n = c.args[0] ? int(c.args[0]) : 1;
      for (let i = 0; i < n && !c.signal.aborted; i++) await perform('next-instr', loaded(c));
      c.out(where(c.host.store()));
    },
  },
  continue: {
    async run(c) {
      arity(c, 0, 0, '');
      const before = loaded(c).cursor;
      await perform('continue', loaded(c));
      const s = c.host.store();
      if (s.cursor === before && s.loaded) {
        await perform('end', s);
        c.out(t.noBreakAhead + '\n');
      }
      c.out(where(c.host.store()));
    },
  },
  break: {
    run(c) {
      arity(c, 1, 1, 'LINE');
      const line = int(c.args[0]);
      const s = c.host.store();
      if (s.loaded && (line < 1 || line > s.loaded.lines)) throw new UsageError(t.badLine(line, s.loaded.lines));
      if (s.breakpoints.has(line)) { c.out(t.breakExists(line) + '\n'); return; }
      s.toggleBreakpoint(line);
      c.out(t.breakSet(line) + '\n');
    },
  },
  delete: {
    run(c) {
      arity(c, 1, 1, 'LINE');
      const line = int(c.args[0]);
      const s = c.host.store();
      if (!s.breakpoints.has(line)) throw new Error(t.noBreak(line));
      s.toggleBreakpoint(line);
      c.out(t.breakDeleted(line) + '\n');
    },
  },
  info: {
    run(c) {
      arity(c, 1, 1, 'breakpoints');
      if (!'breakpoints'.startsWith(c.args[0]) || c.args[0].length < 1) throw new UsageError(t.extra(c.args[0]));
      const b = [...c.host.store().breakpoints].sort((x, y) => x - y);
      c.out((b.length ? t.breaks(b) : t.noBreaks) + '\n');
    },
  },
  regs: {
    run(c) {
      arity(c, 0, 0, '');
      const v = loaded(c).view;
      if (!v) throw new Error(t.noProgram);
      const regs = [...v.regs, { name: 'rip', value: v.rip }, { name: 'rflags', value: v.rflags },
        ...Object.entries(v.cr).map(([name, value]) => ({ name, value }))];
      const cells = regs.map((r) => `${r.name.padStart(6)} ${r.value.padEnd(18)}`);
      const rows: string[] = [];
      for (let i = 0; i < cells.length; i += 3) rows.push(cells.slice(i, i + 3).join(' ').trimEnd());
      const f = Object.entries(v.flags).filter(([, on]) => on).map(([k]) => k).join(' ') || '-';
      rows.push(`  mode ${v.vmx}, ring ${v.cpl}, flags ${f}`);
      c.out(lines(rows));
    },
  },
  vmcs: {
    run(c) {
      arity(c, 0, 1, 'FIELD');
      const v = loaded(c).view;
      if (!v?.vmcs) throw new Error(t.noVmcs);
      let fields = v.vmcs;
      const want = c.args[0];
      if (want) {
        const w = want.toLowerCase();
        const exact = fields.filter((f) => f.name.toLowerCase() === w || f.encoding === w);
        fields = exact.length ? exact : fields.filter((f) => f.name.toLowerCase().includes(w));
        if (!fields.length) throw new UsageError(t.noField(want, nearest(want, v.vmcs.map((f) => f.name))));
      }
      const w = Math.max(...fields.map((f) => f.name.length));
      c.out(lines(fields.map((f) => `${f.changed ? '*' : ' '} ${f.name.padEnd(w)}  ${f.encoding.padEnd(6)}  ${f.value}`)));
    },
  },
  tlb: {
    run(c) {
      arity(c, 0, 0, '');
      const v = loaded(c).view;
      if (!v || v.tlb.length === 0) { c.out(t.tlbEmpty + '\n'); return; }
      c.out(lines([t.tlbHeader, ...v.tlb.map((e) => {
        const f = e.flags;
        const flags = [f.rw ? 'W' : 'R', f.us ? 'U' : 'S', f.nx ? 'NX' : 'X', f.dirty ? 'D' : '', f.global ? 'G' : ''].filter(Boolean).join(' ');
        return `${e.va.padEnd(18)} ${e.size.padEnd(4)} ${String(e.vpid).padStart(4)} ${String(e.pcid).padStart(4)} ${(e.ept ?? '-').padEnd(14)} ${e.hpa.padEnd(13)} ${flags}`;
      })]));
    },
  },
  ept: {
    async run(c) {
      arity(c, 1, 1, 'ADDRESS');
      const page = address(c.args[0]) >> 12n;
      const s = loaded(c);
      const va = '0x' + address(c.args[0]).toString(16);
      const same = (e: TraceEvent) => e.type === 'walk' && (BigInt(e.va) & ((1n << 48n) - 1n)) >> 12n === (page & ((1n << 36n) - 1n));
      let found: TraceEvent | null = null;
      let searched = 0;
      for (let to = s.cursor + 1; to > 0 && searched < EPT_SEARCH && !found && !c.signal.aborted; to -= 2000) {
        const from = Math.max(0, to - 2000);
        found = (await s.events(from, to)).filter(same).at(-1) ?? null;
        searched += to - from;
      }
      if (!found || found.type !== 'walk') { c.out(t.noWalk(va, searched) + '\n'); return; }
      c.out(lines([t.walkHead(found.va, found.seq, found.refs.length),
        ...found.refs.map((r, i) => t.walkRef(i, r.space, r.level, r.addr, r.value)), t.walkResult(found.result, found.fault)]));
    },
  },
  events: {
    async run(c) {
      arity(c, 1, 2, 'FROM');
      const from = int(c.args[0]);
      const n = Math.min(TRACE_HEAD, c.args[1] ? int(c.args[1]) : 50);
      const evs = await loaded(c).events(from, from + n);
      c.out(lines(evs.map((e) => JSON.stringify(e))));
    },
  },
  bench: {
    async run(c) {
      arity(c, 1, 1, 'paper');
      if (c.args[0] !== 'paper') throw new UsageError(t.benchWhich);
      c.out(t.benchHead + '\n');
      for (const op of Object.keys(messages.compare.rows)) {
        if (c.signal.aborted) return;
        const r = await c.host.engine.compare(op);
        c.out(t.benchRow(op, messages.compare.figure(r.linux.figure), messages.compare.figure(r.dune.figure), r.paper.linux, r.paper.dune) + '\n');
      }
    },
  },
  samples: {
    async run(c) {
      arity(c, 0, 0, '');
      const out: string[] = [t.samplesHead];
      const walk = async (dir: string) => {
        for (const e of await c.host.fs.list(dir)) {
          if (e.dir) await walk(`${dir}/${e.name}`); else out.push(`  ${dir}/${e.name}`);
        }
      };
      await walk('/samples');
      c.out(lines(out));
    },
  },
  reset: {
    async run(c) {
      arity(c, 0, 0, '');
      await perform('reset', loaded(c));
      c.out(where(c.host.store()));
    },
  },
  clear: { run(c) { c.out('\x1b[2J\x1b[3J\x1b[H'); } },
  x: {
    async run(c) {
      arity(c, 1, 2, 'ADDRESS [N]');
      loaded(c);
      const va = address(c.args[0]);
      const n = c.args[1] === undefined ? 64 : int(c.args[1]);
      if (n < 1 || n > EXAMINE_MAX) throw new UsageError(t.xTooMany(EXAMINE_MAX));
      const r = await c.host.engine.examine('0x' + va.toString(16), n);
      const out = [t.xHeader(r.va, r.space)];
      for (const row of r.rows) {
        if (row.pa === null) { out.push(`${row.va}  ${t.xUnmapped}`); continue; }
        const hexes = row.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47);
        const ascii = row.bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
        const where = r.space === 'guest' ? `gpa ${row.pa} hpa ${row.hpa}` : `pa ${row.pa}`;
        out.push(`${row.va}  ${hexes}  |${ascii}|  ${where}`);
      }
      c.out(lines(out));
    },
  },
  download: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE | --trace');
      if (!c.host.download) throw new Error(t.noTransfer);
      if (c.args[0] === '--trace') {
        const s = loaded(c);
        const total = Math.min(s.loaded!.total, TRACE_DOWNLOAD_MAX);
        let text = '';
        for (let from = 0; from < total && !c.signal.aborted; from += TRACE_CHUNK) {
          text += toJsonLines(await c.host.engine.events(from, Math.min(total, from + TRACE_CHUNK)));
        }
        if (c.signal.aborted) return;
        const name = `${s.file.replace(/\.s$/i, '') || 'program'}.trace.jsonl`;
        c.host.download(name, text, 'application/x-ndjson;charset=utf-8');
        c.out(t.downloadedTrace(name, total, s.loaded!.total) + '\n');
        return;
      }
      const p = resolvePath(c.args[0]);
      const text = await readFile(c.host.fs, p);
      c.host.download(basename(p), text, 'text/plain;charset=utf-8');
      c.out(t.downloaded(basename(p)) + '\n');
    },
  },
  upload: {
    async run(c) {
      arity(c, 0, 0, '');
      if (!c.host.upload) throw new Error(t.noTransfer);
      const got = await c.host.upload();
      if (!got) { c.out(t.uploadCancelled + '\n'); return; }
      // Never overwrite: a name already in /home gets -1, -2, ... before its .s.
      const stem = got.name.replace(/\.s$/i, '').replace(/[^\w.-]+/g, '_') || 'upload';
      const names = new Set((await c.host.fs.list(HOME)).map((e) => e.name));
      let name = `${stem}.s`;
      for (let i = 1; names.has(name); i++) name = `${stem}-${i}.s`;
      await c.host.fs.write(`${HOME}/${name}`, got.text);
      c.out(t.uploaded(`${HOME}/${name}`, got.text.split('\n').length) + '\n');
      await c.shell.refresh();
    },
  },
  history: {
    run(c) {
      c.out(lines(c.shell.history.map((h, i) => `${String(i + 1).padStart(4)}  ${h}`)));
    },
  },
};

export class Shell {
  /** The lines typed (non-empty), oldest first: the line editor browses it. */
  readonly history: string[] = [];
  /** Directory listings for Tab completion (completion is synchronous; listings are not). */
  private listings = new Map<string, { name: string; dir: boolean }[]>([['/', [{ name: 'home', dir: true }, { name: 'samples', dir: true }]]]);

  constructor(private host: ShellHost) {}

  readonly commands = Object.keys(COMMANDS);

  /** Run one line. Never throws; resolves at once when `signal` aborts (Ctrl-C), after which
   *  the command's later output is dropped (the engine finishes its request unseen). */
  async execute(line: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const argv = words(line);
    if (line.trim()) this.history.push(line);
    if (argv.length === 0) return;
    const [name, ...args] = argv;
    const out = (text: string) => { if (!signal.aborted && text) this.host.print(text); };
    const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as Name] : undefined;
    if (!cmd) {
      out(t.unknown(name, nearest(name, this.commands)) + '\n');
      return;
    }
    const usage = t.commands[name as Name].usage;
    const work = (async () => {
      try {
        await cmd.run({ host: this.host, args, out, signal, shell: this });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        out((e instanceof UsageError ? t.usage(name, msg, usage) : t.failed(name, msg)) + '\n');
      }
    })();
    const stop = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([work, stop]);
    if (signal.aborted) this.host.print(t.interrupted + '\n');
    void this.refresh();
  }

  /** Tab: command names for the first word, file names after it (from cached listings; each
   *  Tab also refreshes the listing it looked at, for the next one). */
  complete(line: string, cursor: number): Completion {
    const head = line.slice(0, cursor);
    const from = head.lastIndexOf(' ') + 1;
    const word = head.slice(from);
    if (head.slice(0, from).trim() === '') return { from, candidates: this.commands.filter((c) => c.startsWith(word)) };
    const slash = word.lastIndexOf('/');
    const dirPart = word.slice(0, slash + 1);
    const dir = resolvePath(dirPart || '.');
    void this.list(dir);
    const entries = this.listings.get(dir) ?? [];
    return { from, candidates: entries.filter((e) => e.name.startsWith(word.slice(slash + 1))).map((e) => dirPart + e.name + (e.dir ? '/' : '')) };
  }

  /** Fill the completion cache (the panel calls it at start; execute after every command). */
  async refresh(): Promise<void> {
    await Promise.all([HOME, '/samples', ...this.listings.keys()].map((d) => this.list(d)));
  }

  private async list(dir: string) {
    try { this.listings.set(dir, await this.host.fs.list(dir)); } catch { /* not a directory: no candidates */ }
  }
}
