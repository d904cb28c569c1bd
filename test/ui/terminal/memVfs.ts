// An in-memory Vfs for the terminal's tests: /samples read-only, /home writable.
import { readFileSync, readdirSync } from 'node:fs';
import type { Vfs } from '../../../src/ui/terminal/vfs-interface.ts';

export function memVfs(home: Record<string, string> = {}): Vfs & { files: Map<string, string> } {
  const files = new Map<string, string>();
  for (const n of readdirSync('samples').filter((n) => n.endsWith('.s'))) files.set(`/samples/${n}`, readFileSync(`samples/${n}`, 'utf8'));
  for (const [k, v] of Object.entries(home)) files.set(`/home/${k}`, v);
  const ro = (p: string) => p.startsWith('/samples/');
  const must = (p: string) => { if (!files.has(p)) throw new Error(`${p}: no such file`); };
  const writable = (p: string) => { if (!p.startsWith('/home/')) throw new Error(`${p}: read-only (only /home is writable)`); };
  return {
    files,
    async list(dir) {
      const pre = dir === '/' ? '/' : dir + '/';
      const names = new Map<string, boolean>();
      for (const p of files.keys()) if (p.startsWith(pre)) { const rest = p.slice(pre.length); const i = rest.indexOf('/'); names.set(i < 0 ? rest : rest.slice(0, i), i >= 0); }
      if (dir === '/home' || dir === '/samples' || dir === '/') return [...names].map(([name, d]) => ({ name, dir: d, readonly: ro(pre + name) }));
      if (!names.size) throw new Error(`${dir}: no such directory`);
      return [...names].map(([name, d]) => ({ name, dir: d, readonly: ro(pre + name) }));
    },
    async read(p) { must(p); return files.get(p)!; },
    async write(p, text) { writable(p); files.set(p, text); },
    async remove(p) { writable(p); must(p); files.delete(p); },
    async rename(a, b) { writable(a); writable(b); must(a); files.set(b, files.get(a)!); files.delete(a); },
    async exists(p) { return files.has(p); },
  };
}
