// The project's docs (docs/*.md) as pages the built app ships (docs/NAME.html beside index.html),
// so the footer's link works offline and from any subfolder. The docs use a small part of
// Markdown: headings, paragraphs, "- " lists (continued by indented lines), **bold**, `code`;
// this renders that part and nothing else (no raw HTML: every character of the text is escaped).

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One line's inline marks: `code`, **bold**, and a mention of docs/NAME.md as a link to NAME.html
 *  when that page is shipped too. */
function inline(text: string, pages: ReadonlySet<string>): string {
  return text.split(/(`[^`]*`)/).map((part) => {
    const link = (s: string) => s.replace(/\bdocs\/([a-z0-9-]+)\.md\b/g, (m, name: string) => (pages.has(name) ? `<a href="${name}.html">${m}</a>` : m));
    if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) return `<code>${link(esc(part.slice(1, -1)))}</code>`;
    return link(esc(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>'));
  }).join('');
}

/** The body HTML of a doc. */
export function markdownToHtml(md: string, pages: ReadonlySet<string> = new Set()): string {
  const out: string[] = [];
  let para: string[] = [], item: string[] | null = null, list = false;
  const flushItem = () => { if (item) out.push(`<li>${inline(item.join(' '), pages)}</li>`); item = null; };
  const flushList = () => { flushItem(); if (list) out.push('</ul>'); list = false; };
  const flushPara = () => { if (para.length) out.push(`<p>${inline(para.join(' '), pages)}</p>`); para = []; };
  for (const raw of md.split('\n')) {
    const line = raw.trimEnd();
    const h = /^(#{1,4}) (.*)$/.exec(line);
    if (h) { flushPara(); flushList(); out.push(`<h${h[1].length}>${inline(h[2], pages)}</h${h[1].length}>`); continue; }
    const li = /^- (.*)$/.exec(line);
    if (li) { flushPara(); flushItem(); if (!list) { out.push('<ul>'); list = true; } item = [li[1]]; continue; }
    if (line === '') { flushPara(); flushItem(); continue; }
    if (item && /^\s+/.test(line)) { item.push(line.trim()); continue; }
    if (list && /^\s+/.test(line)) { item = [line.trim()]; continue; }
    flushList();
    para.push(line.trim());
  }
  flushPara(); flushList();
  return out.join('\n');
}

/** A whole page: the doc, readable in either colour scheme, with a way back to the app. No
 *  scripts (its policy forbids them). */
export function docPage(name: string, md: string, pages: ReadonlySet<string>, back: { href: string; label: string }): string {
  const title = /^# (.*)$/m.exec(md)?.[1] ?? name;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Dune Lab</title>
<style>
:root { color-scheme: light dark; }
body { font: 1rem/1.55 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1.25rem; }
code { font: 0.92em ui-monospace, monospace; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.3rem; margin-top: 2rem; }
li { margin: 0.3rem 0; }
nav { font-size: 0.9rem; }
</style>
</head>
<body>
<nav><a href="${esc(back.href)}">${esc(back.label)}</a> · <code>docs/${esc(name)}.md</code></nav>
<main>
${markdownToHtml(md, pages)}
</main>
</body>
</html>
`;
}
