import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { docPage, markdownToHtml } from '../../../src/ui/shell/docPage.ts';

describe('the docs as shipped pages', () => {
  it('renders headings, paragraphs, lists with continued lines, bold, code and doc links', () => {
    const html = markdownToHtml('# Title\n\nOne\ntwo.\n\n## Part\n- **A** first\n  continued `x<y`\n- see docs/trace.md and docs/none.md\n\nAfter.\n', new Set(['trace']));
    expect(html).toBe([
      '<h1>Title</h1>', '<p>One two.</p>', '<h2>Part</h2>', '<ul>',
      '<li><strong>A</strong> first continued <code>x&lt;y</code></li>',
      '<li>see <a href="trace.html">docs/trace.md</a> and docs/none.md</li>', '</ul>', '<p>After.</p>',
    ].join('\n'));
  });
  it('never passes raw HTML through', () => {
    expect(markdownToHtml('<script>alert(1)</script> & "q"')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</p>');
  });
  it('docs/simplifications.md becomes a page with its title, every section and a way back', () => {
    const md = readFileSync('docs/simplifications.md', 'utf8');
    const page = docPage('simplifications', md, new Set(['simplifications', 'cost-model']), { href: '../index.html', label: 'back' });
    expect(page).toContain('<title>Where the model simplifies · Dune Lab</title>');
    expect(page).toContain('<a href="../index.html">back</a>');
    expect(page.match(/<h2>/g)?.length).toBe(md.match(/^## /gm)?.length);
    expect(page).not.toMatch(/\*\*|^- /m);
  });
});
