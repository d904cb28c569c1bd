// Lesson prose: {placeholders} filled from a step's figures (probe.ts), numbers written the way
// the reader's locale writes them. Pure: the CLI's checker and the UI's player both use it.

import { knownPlaceholder, type Values } from './probe.ts';

const PLACE = /\{([a-zA-Z][\w.]*)\}/g;

/** The placeholders a paragraph names, in order. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACE)].map((m) => m[1]);
}

/** A figure by name; counts of things that did not happen are 0, other absent figures undefined. */
export function valueOf(values: Values, name: string): number | string | undefined {
  if (Object.hasOwn(values, name)) return values[name];
  if (/^(count|exits|span\.fn)\.\w+$/.test(name)) return 0;
  return undefined;
}

/** Why a placeholder cannot be filled here, or null when it can. */
export function placeholderProblem(values: Values, name: string): string | null {
  if (!knownPlaceholder(name)) return `unknown placeholder {${name}}`;
  if (valueOf(values, name) === undefined) return `placeholder {${name}} has no value at this step's cursor`;
  return null;
}

const formats = new Map<string, Intl.NumberFormat>();
function formatNumber(n: number, locale: string): string {
  let f = formats.get(locale);
  if (!f) { f = new Intl.NumberFormat(locale); formats.set(locale, f); }
  return f.format(n);
}

/** The paragraph with every placeholder filled (an unfillable one stays visible as {name}). */
export function fillProse(text: string, values: Values, locale: string): string {
  return text.replace(PLACE, (whole, name: string) => {
    const v = valueOf(values, name);
    return v === undefined ? whole : typeof v === 'number' ? formatNumber(v, locale) : v;
  });
}
