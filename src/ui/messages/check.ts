// The catalogs against the English one: keys each locale lacks or adds, leaves whose kind differs
// (text, function, list), and the counts `npm run -s i18n:check` prints. The type check catches
// most of this at compile time; this also sees inside `Record<string, string>` areas.

export interface CatalogReport {
  locale: string;
  keys: number;
  missing: string[];
  extra: string[];
  /** Same key, different kind of value (a string where English has a function, a list of another length). */
  mismatched: string[];
  /** Text leaves equal to the English (often right: code names; listed so a reviewer can look). */
  same: string[];
}

type Leaf = { kind: 'text'; value: string } | { kind: 'function'; arity: number } | { kind: 'list'; length: number };
const isNode = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf of a catalog by its dotted path. */
export function leaves(root: unknown, prefix = '', out = new Map<string, Leaf>()): Map<string, Leaf> {
  if (!isNode(root)) return out;
  for (const [k, v] of Object.entries(root)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(path, { kind: 'text', value: v });
    else if (typeof v === 'function') out.set(path, { kind: 'function', arity: v.length });
    else if (Array.isArray(v)) out.set(path, { kind: 'list', length: v.length });
    else if (isNode(v)) leaves(v, path, out);
  }
  return out;
}

/** Maps whose keys a translation chooses (a term's printed name only where it differs). */
export const OPEN_MAPS = ['glossary.names'];

export function compareCatalog(locale: string, catalog: unknown, english: unknown): CatalogReport {
  const en = leaves(english), other = leaves(catalog);
  const open = (k: string) => OPEN_MAPS.some((m) => k.startsWith(m + '.'));
  const missing = [...en.keys()].filter((k) => !other.has(k));
  const extra = [...other.keys()].filter((k) => !en.has(k) && !open(k));
  const mismatched: string[] = [], same: string[] = [];
  for (const [k, a] of en) {
    const b = other.get(k);
    if (!b) continue;
    if (a.kind !== b.kind || (a.kind === 'list' && b.kind === 'list' && a.length !== b.length)) mismatched.push(k);
    else if (a.kind === 'text' && b.kind === 'text' && a.value === b.value && locale !== 'en' && /[a-z]{3,}/i.test(a.value)) same.push(k);
  }
  return { locale, keys: other.size, missing, extra, mismatched, same };
}
