// The UI's language as a React value: a component whose memoised text or d3 drawing depends on
// the language lists it in its dependencies (the root re-renders every panel on a switch, but a
// useMemo or an effect keyed on data alone would keep the old words).

import { useSyncExternalStore } from 'react';
import { getLocale, onLocale, type Locale } from './locale.ts';

export function useLocale(): Locale {
  return useSyncExternalStore(onLocale, getLocale, getLocale);
}
