// The terminal's command interpreter. It drives the same store the views show (run loads into
// it, the debugger commands move its cursor and share its breakpoints) and the file system it is
// given. Debugger commands perform the shared ACTIONS (STYLE.md: one declaration per command).
// Nothing typed may throw out of execute(); Ctrl-C (the AbortSignal) returns at once.

import type { EngineClient, TraceEvent } from '../engineClient.ts';
import type { Store } from '../state/store.ts';
import { KNOB_DOCS } from '../../engine/knobs.ts';
import { READ_VIRTUAL_MAX, type VirtualRead } from '../../engine/player/memview.ts';
import { traceLine } from '../../engine/trace/events.ts';
import { messages } from '../messages/index.ts';
import type { Vfs } from './vfs-interface.ts';
import type { Completion } from './lineEditor.ts';
import { FILE_COMMANDS } from './fileCommands.ts';
import { visible } from './visible.ts';
import { sayAsmErrors } from '../messages/asmText.ts';
import { sayStderr } from '../messages/reportText.ts';
import {
  HOME, UsageError, address, arity, basename, int, lines, loaded, nearest, perform, readFile, includeFiles,
  resolvePath, where, words, type Command, type Name,
} from './shellKit.ts';

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
const TRACE_HEAD = 200;
/** How far back `ept` looks for a walk (events; fetched 2000 at a time). */
const EPT_SEARCH = 20_000;

/** 16 bytes a row from va, as hex, as text, and the row's physical address(es). A row that runs
 *  into an unmapped page stops there; a row that starts in one says "not mapped". */
function hexDump(r: VirtualRead, va: number, n: number): string[] {
  const hex = (a: number) => '0x' + a.toString(16);
  const spanAt = (a: number) => r.spans.find((s) => a >= s.va && a < s.va + Math.max(1, s.bytes.length))!;
  const out: string[] = [];
  for (let a = va; a < va + n; a += 16) {
    const first = spanAt(a);
    if (first.pa === null || first.hpa === null) { out.push(`${hex(a)}  ${t.xUnmapped}`); continue; }
    const bytes: number[] = [];
    for (let b = a; b < Math.min(a + 16, va + n); b++) {
      const s = spanAt(b);
      if (s.pa === null) break;
      bytes.push(s.bytes[b - s.va]);
    }
    const hexes = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47);
    const text = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    const off = a - first.va;
    const phys = r.space === 'guest' ? `gpa ${hex(first.pa + off)} hpa ${hex(first.hpa + off)}` : `pa ${hex(first.pa + off)}`;
    out.push(`${hex(a)}  ${hexes}  |${text}|  ${phys}`);
  }
  return out;
}

const COMMANDS: Record<Name, Command> = {
  ...FILE_COMMANDS,
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
      await c.host.store().loadProgram(source, knobs, basename(path), await includeFiles(c.host.fs, path, source));
      const s = c.host.store();
      if (!s.loaded) { c.out(t.diagnostics(s.asmErrors ? sayAsmErrors(s.asmErrors) : s.diagnostics ?? '') + '\n'); return; }
      if (trace) {
        const n = Math.min(TRACE_HEAD, s.loaded.total);
        const evs: TraceEvent[] = [];
        while (evs.length < n) {
          const more = await c.host.engine.events(evs.length, n);
          if (more.length === 0) break;
          evs.push(...more);
        }
        c.out(lines(evs.map(traceLine)));
        if (n < s.loaded.total) c.out(t.traceMore(n, s.loaded.total) + '\n');
      }
      const o = s.output;
      if (o) {
        if (!trace) c.out(o.stdout);
        const err = sayStderr(o);
        if (err) c.out(err.endsWith('\n') ? err : err + '\n');
        const exits = new Map(Object.entries(s.loaded.vmexits));
        c.out(t.summary(basename(path), t.exitHow(o.ok, o.exitCode), o.instructions, o.cycles,
          [...exits].map(([k, v]) => `${k}=${v}`).join(' ') || 'none') + '\n');
      }
      // As a debugger's run: the cursor stops at the first breakpoint hit, else at the end of the
      // run; the views show the same moment, and the terminal says where it is.
      const st = c.host.store();
      let stopped = false;
      if (st.breakpoints.size > 0) {
        const before = st.cursor;
        await perform('continue', st);
        stopped = c.host.store().cursor !== before;
      }
      if (!stopped) await perform('end', c.host.store());
      c.out((stopped ? t.runAtBreak(c.host.store().line) : t.runAtEnd) + '\n' + where(c.host.store()));
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
      const r = await c.host.engine.load({ source, file: basename(path), files: await includeFiles(c.host.fs, path, source) });
      if (s.loaded) {
        await c.host.engine.load({ source: s.source, file: s.file, knobs: s.knobs, files: s.files });
        await c.host.engine.seek(c.host.store().cursor);
      }
      c.out((r.ok ? t.ok : r.errors ? sayAsmErrors(r.errors) : r.diagnostics) + '\n');
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
      c.out(lines(evs.map(traceLine)));
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
  reset: {
    async run(c) {
      arity(c, 0, 0, '');
      await perform('reset', loaded(c));
      c.out(where(c.host.store()));
    },
  },
  clear: { run(c) { c.raw('\x1b[2J\x1b[3J\x1b[H'); } },
  x: {
    async run(c) {
      arity(c, 1, 2, 'ADDRESS [N]');
      loaded(c);
      const va = address(c.args[0]);
      const n = c.args[1] === undefined ? 64 : int(c.args[1]);
      if (n < 1 || n > READ_VIRTUAL_MAX) throw new UsageError(t.xTooMany(READ_VIRTUAL_MAX));
      const hexVa = '0x' + va.toString(16);
      const r = await c.host.engine.readVirtual(hexVa, n);
      c.out(lines([t.xHeader(hexVa, r.space), ...hexDump(r, Number(va), n)]));
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
   *  the command's later output is dropped, and the engine stops the request in flight. */
  async execute(line: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const argv = words(line);
    if (line.trim()) this.history.push(line);
    if (argv.length === 0) return;
    const [name, ...args] = argv;
    // Everything a command prints may hold guest output, file text or names: shown, not obeyed.
    // Only the shell's own sequences (clear) go out raw.
    const raw = (text: string) => { if (!signal.aborted && text) this.host.print(text); };
    const out = (text: string) => raw(visible(text));
    const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as Name] : undefined;
    if (!cmd) {
      out(t.unknown(name, nearest(name, this.commands)) + '\n');
      return;
    }
    const usage = t.commands[name as Name].usage;
    const work = (async () => {
      try {
        await cmd.run({ host: this.host, args, out, raw, signal, shell: this });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        out((e instanceof UsageError ? t.usage(name, msg, usage) : t.failed(name, msg)) + '\n');
      }
    })();
    const stop = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => { this.host.engine.stop(); resolve(); }, { once: true });
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
