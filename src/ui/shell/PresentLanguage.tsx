// Presentation's own language switch: the header, where the page's switch is, is hidden there.
// The same choice as the header's (the store's locale, kept in the link's `lang=` by the lesson
// player), compact, beside the text-size buttons.

import { useSlice } from '../state/context.tsx';
import { messages } from '../messages/index.ts';
import { LOCALES, LOCALE_NAMES, type Locale } from '../messages/locale.ts';

export function PresentLanguage() {
  const s = useSlice((x) => ({ locale: x.locale, setLocale: x.setLocale }));
  return (
    <select className="present-lang" value={s.locale} onChange={(e) => s.setLocale(e.target.value as Locale)}
      aria-label={messages.languageLabel} title={messages.languageLabel} data-testid="present-language">
      {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
    </select>
  );
}
