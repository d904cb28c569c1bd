// The page's footer: what the model simplifies, with its document as a link. The docs ship with
// the build (docs/NAME.html beside index.html, vite.config.ts), so the link works offline and
// from a subfolder.

import { messages } from '../messages/index.ts';

/** docs/NAME.md as the shipped page's relative URL. */
export const docHref = (doc: string) => doc.replace(/\.md$/, '.html');

export function Footer() {
  const text = messages.simplified, doc = messages.simplifiedDoc;
  const i = text.indexOf(doc);
  const link = <a href={docHref(doc)} target="_blank" rel="noopener">{doc}</a>;
  return (
    <footer className="simplified">
      {i < 0 ? <>{text} {link}</> : <>{text.slice(0, i)}{link}{text.slice(i + doc.length)}</>}
    </footer>
  );
}
