// The UI's message catalog: every piece of UI text, by area, in each locale (locale.ts).
// `messages` resolves against the current locale when a leaf is read, so a module may keep
// `const t = messages.walk` at its top as long as it reads t.<key> when it renders. A key a
// translation lacks falls back to English (the type check and `npm run -s i18n:check` report it).

import { messages as core, helloProgram } from './core.ts';
import { walk } from './walk.ts';
import { machine } from './machine.ts';
import { memory } from './memory.ts';
import { compare } from './compare.ts';
import { terminal } from './terminal.ts';
import { files as filesEn } from './files.ts';
import { glossary } from './glossary.ts';
import { event } from './event.ts';
import { whatif } from './whatif.ts';
import { wedge, sandbox } from './apps.ts';
import { heap } from './heap.ts';
import { code as codeEn } from './code.ts';
import { a11y as a11yEn } from './a11y.ts';
import { course } from './course.ts';
import { asm } from './asm.ts';
import { report } from './report.ts';
import { kernel } from './kernel.ts';
import { zhCN } from './zh-CN/index.ts';
import { getLocale, type Locale } from './locale.ts';

export const en = { ...core, walk, machine, compare, memory, files: filesEn, terminal, glossary, event, whatif, code: codeEn, a11y: a11yEn, course, asm, report, kernel, wedge, sandbox, heap };

/** The shape a translation must have: the English catalog with its literal strings widened. */
export type Widen<T> = T extends string ? string
  : T extends (...a: infer A) => infer R ? (...a: A) => Widen<R>
  : T extends readonly (infer U)[] ? readonly Widen<U>[]
  : T extends object ? { [K in keyof T]: Widen<T[K]> }
  : T;
export type Catalog = Widen<typeof en>;

export const CATALOGS: Record<Locale, Catalog> = { en, 'zh-CN': zhCN };

const isNode = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function at(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const k of path) { if (!isNode(v)) return undefined; v = v[k]; }
  return v;
}
/** The value at path in the current locale, else in English. */
function resolve(path: readonly string[]): unknown {
  const v = at(CATALOGS[getLocale()], path);
  return v === undefined ? at(en, path) : v;
}

// One proxy per object path: reading a key resolves it now, in the current locale.
const nodes = new Map<string, object>();
function node(path: readonly string[]): object {
  const id = path.join('\u0000');
  let p = nodes.get(id);
  if (p) return p;
  const read = (k: string) => { const v = resolve([...path, k]); return isNode(v) ? node([...path, k]) : v; };
  p = new Proxy({}, {
    get: (_, k) => (typeof k === 'string' ? read(k) : undefined),
    has: (_, k) => typeof k === 'string' && read(k) !== undefined,
    ownKeys: () => { const v = resolve(path); return isNode(v) ? Object.keys(v) : []; },
    getOwnPropertyDescriptor: (_, k) => {
      if (typeof k !== 'string') return undefined;
      const v = read(k);
      return v === undefined ? undefined : { value: v, enumerable: true, configurable: true, writable: false };
    },
    set: () => false,
  });
  nodes.set(id, p);
  return p;
}

export const messages = node([]) as typeof en;
/** The areas some modules import by name (each resolves like messages.<area>). */
export const { code, files, a11y } = messages;
export { helloProgram };
export { fmt, getLocale, type Locale } from './locale.ts';
