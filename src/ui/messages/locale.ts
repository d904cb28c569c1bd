// The UI's language: which catalog `messages` resolves against, and numbers in that language.
// The store's locale slice sets it (state/store.ts); nothing here knows React.

import { LOCALES, type Locale } from '../../engine/course/lesson.ts';

/** The locales: the lessons' (engine/course/lesson.ts), which the UI catalog follows. */
export { LOCALES, type Locale };
/** Each language by its own name, for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };

let current: Locale = 'en';
const listeners = new Set<(l: Locale) => void>();

export function getLocale(): Locale { return current; }
export function setLocale(l: Locale) {
  if (l === current) return;
  current = l;
  for (const f of listeners) f(l);
}
/** Called after every switch (e.g. to re-render what is drawn outside React: d3, xterm). */
export function onLocale(f: (l: Locale) => void): () => void { listeners.add(f); return () => listeners.delete(f); }

/** A locale named by a link, a saved preference or the browser ("zh", "zh-Hans-CN" -> zh-CN). */
export function asLocale(s: string | null | undefined): Locale | undefined {
  if (!s) return undefined;
  const exact = LOCALES.find((l) => l.toLowerCase() === s.toLowerCase());
  if (exact) return exact;
  if (/^zh(\b|-|_)/i.test(s) && !/^zh[-_](hant|tw|hk|mo)\b/i.test(s)) return 'zh-CN';
  if (/^en(\b|-|_)/i.test(s)) return 'en';
  return undefined;
}

const formats = new Map<string, Intl.NumberFormat>();
/** A number in the UI's language (Intl: the same digits and grouping as the English catalog's). */
export function fmt(n: number | bigint, opts?: Intl.NumberFormatOptions): string {
  const key = current + (opts ? JSON.stringify(opts) : '');
  let f = formats.get(key);
  if (!f) { f = new Intl.NumberFormat(current, opts); formats.set(key, f); }
  return f.format(n);
}
