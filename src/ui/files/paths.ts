// Paths of the page's file store (vfs.ts): absolute, normalised, under /samples or /home.

import { files as msg } from '../messages/index.ts';

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

export const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
export const under = (p: string, dir: string) => p.startsWith(dir === '/' ? '/' : dir + '/');
export const inSamples = (p: string) => p === '/samples' || under(p, '/samples');
export const inHome = (p: string) => p === '/home' || under(p, '/home');
/** Whether p is already a normalised absolute path. */
export function normalizeOk(p: string) { try { return normalizePath(p) === p; } catch { return false; } }
