// What the shell's commands share: their context, argument checks, paths and helpers over the
// file system and the store. The commands live in shell.ts (running and debugging) and
// fileCommands.ts (files, upload and download).

import type { TraceEvent } from '../engineClient.ts';
import type { Store } from '../state/store.ts';
import { ACTIONS } from '../state/actions.ts';
import { messages } from '../messages/index.ts';
import type { Vfs } from './vfs-interface.ts';
import { collectIncludes, resolvePath as includePath } from '../../engine/asm/index.ts';
import type { Shell, ShellHost } from './shell.ts';

const t = messages.terminal;
export type Name = keyof typeof t.commands;

/** A bad argument: printed as one line with the command's usage. */
export class UsageError extends Error {}

export interface Ctx {
  host: ShellHost; args: string[]; signal: AbortSignal; shell: Shell;
  /** Print text shown as it is: control characters appear as ^[ and the like (visible.ts). */
  out(text: string): void;
  /** Print the shell's own terminal sequences (clear, colours), obeyed by the terminal. */
  raw(text: string): void;
}
export interface Command { args?: 'file' | 'dir'; run(c: Ctx): Promise<void> | void }

export const HOME = '/home';

/** Absolute, normalised path; relative paths are taken from /home. */
export function resolvePath(p: string): string {
  const parts: string[] = [];
  for (const s of (p.startsWith('/') ? p : `${HOME}/${p}`).split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') parts.pop(); else parts.push(s);
  }
  return '/' + parts.join('/');
}
export const dirname = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
export const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

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
export function nearest(word: string, names: string[]): string | null {
  let best: string | null = null, d = Infinity;
  for (const n of names) {
    const dn = n.startsWith(word) ? 0 : distance(word.toLowerCase(), n.toLowerCase());
    if (dn < d) { d = dn; best = n; }
  }
  return d <= Math.max(2, Math.floor(word.length / 2)) ? best : null;
}

export function arity(c: Ctx, min: number, max: number, what: string) {
  if (c.args.length < min) throw new UsageError(t.missing(what));
  if (c.args.length > max) throw new UsageError(t.extra(c.args[max]));
}
/** A count or an event number as typed, or as the page prints it (`#33,656`, `33,656`, `33656`). */
export function int(s: string): number {
  if (!/^#?(\d+|\d{1,3}(,\d{3})+)$/.test(s)) throw new UsageError(t.badNumber(s));
  return Number(s.replace(/[#,]/g, ''));
}
export function address(s: string): bigint {
  try { if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) return BigInt(s); } catch { /* fall through */ }
  throw new UsageError(t.badAddress(s));
}
export function loaded(c: Ctx): Store {
  const s = c.host.store();
  if (!s.loaded) throw new Error(t.noProgram);
  return s;
}
export const perform = (id: string, s: Store) => ACTIONS.find((a) => a.id === id)!.perform(s);

export async function isDir(fs: Vfs, p: string): Promise<boolean> {
  if (p === '/') return true;
  try { return (await fs.list(dirname(p))).some((e) => e.name === basename(p) && e.dir); } catch { return false; }
}
/** The files the program at `path` includes (recursively), keyed as the engine resolves them
 *  against the program's own name (basename(path)), read from the file store. */
export function includeFiles(fs: Vfs, path: string, source: string): Promise<Record<string, string>> {
  return collectIncludes(source, basename(path), async (p) => {
    try { return await fs.read(includePath(path, p)); } catch { return undefined; }
  });
}

export async function readFile(fs: Vfs, p: string): Promise<string> {
  if (await isDir(fs, p)) throw new Error(t.isDir(p));
  return fs.read(p);
}
/** Where `cp`/`mv` put FROM: into TO if TO is a directory. */
export async function target(fs: Vfs, from: string, to: string): Promise<string> {
  return (await isDir(fs, to)) ? `${to === '/' ? '' : to}/${basename(from)}` : to;
}

export function describe(e: TraceEvent | null): string {
  if (!e) return '';
  const r = e as unknown as Record<string, unknown>;
  switch (e.type) {
    case 'instr': return t.at.instr(e.text);
    case 'walk': return t.at.walk(e.va, e.refs.length);
    case 'vmexit': return t.at.vmexit(e.name);
    case 'syscall': return t.at.syscall(e.name, e.via);
    case 'exception': return t.at.exception(e.name);
    case 'output': return t.at.output(JSON.stringify(e.text));
    default: return [e.type, r.name ?? r.fn ?? r.op ?? r.kind ?? ''].join(' ').trim();
  }
}
/** One line: where the cursor is. */
export function where(s: Store): string {
  const v = s.view;
  if (!v) return t.noProgram;
  const end = s.loaded && s.cursor >= s.loaded.total - 1 ? ` (${t.atEnd})` : '';
  return t.where(s.cursor, v.line, v.rip, v.vmx, v.cpl, describe(s.event)) + end + '\n';
}

export const lines = (xs: string[]) => (xs.length ? xs.join('\n') + '\n' : '');
