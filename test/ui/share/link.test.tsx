import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { decodeShare, encodeShare, fromBase64Url, shareUrl, toBase64Url } from '../../../src/ui/share/link.ts';
import { SharedProgramBanner } from '../../../src/ui/share/SharedProgramBanner.tsx';

afterEach(cleanup);

describe('share links', () => {
  it('round-trips a program and the point in time', async () => {
    const source = '.text\n_start:\n    mov rax, 60 ; exit\n'.repeat(20);
    const hash = await encodeShare({ source, seq: 1234 });
    expect(hash).toMatch(/^#share=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(source.length); // compressed
    expect(await decodeShare(hash)).toEqual({ ok: true, source, seq: 1234 });
    expect(await decodeShare(hash.slice(1))).toEqual({ ok: true, source, seq: 1234 });
  });

  it('round-trips unicode and carries no seq when none is given', async () => {
    const source = '; héllo wörld ✓ 日本語 🚀\n.asciz "ünï"\n';
    const r = await decodeShare(await encodeShare({ source }));
    expect(r).toEqual({ ok: true, source });
  });

  it('returns <script> and escape sequences verbatim, as text', async () => {
    const source = '<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n\x1b]0;pwn\x07\n';
    const r = await decodeShare(await encodeShare({ source }));
    expect(r.ok && r.source).toBe(source);
  });

  it('finds the share among other hash parameters; builds a full URL', async () => {
    const h = await encodeShare({ source: 'nop' });
    expect(await decodeShare(`#lesson=2&${h.slice(1)}`)).toEqual({ ok: true, source: 'nop' });
    expect(await shareUrl('https://x.test/lab/#old', { source: 'nop' })).toBe(`https://x.test/lab/${h}`);
  });

  it('reports damaged links without throwing', async () => {
    expect(await decodeShare('')).toEqual({ ok: false, error: 'This link carries no shared program.' });
    expect((await decodeShare('#share=***')).ok).toBe(false);
    expect(await decodeShare('#share=' + toBase64Url(new Uint8Array([1, 2, 3, 4, 5])))).toMatchObject({ ok: false });
    const notJson = await encodeRaw('hello');
    expect(await decodeShare(notJson)).toMatchObject({ ok: false, error: expect.stringContaining('unexpected contents') });
    expect(await decodeShare(await encodeRaw(JSON.stringify({ v: 9, source: 'x' })))).toMatchObject({ ok: false, error: expect.stringContaining('newer') });
    expect(await decodeShare(await encodeRaw(JSON.stringify({ v: 1, source: 'x', seq: -1 })))).toMatchObject({ ok: false });
    expect(await decodeShare(await encodeRaw(JSON.stringify({ v: 1, source: { toString: 1 } })))).toMatchObject({ ok: false });
  });

  it('refuses a decompression bomb', async () => {
    const hash = await encodeRaw(JSON.stringify({ v: 1, source: 'a'.repeat(3 * 1024 * 1024) }));
    expect(await decodeShare(hash)).toEqual({ ok: false, error: 'The share link is too large.' });
  });

  it('base64url round trip', () => {
    const b = new Uint8Array([0, 255, 62, 63, 250]);
    expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    expect(fromBase64Url('a')).toBeNull();
  });
});

async function encodeRaw(text: string): Promise<string> {
  const s = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return '#share=' + toBase64Url(new Uint8Array(await new Response(s).arrayBuffer()));
}

describe('SharedProgramBanner', () => {
  it('shows the program as text, never as HTML, and copies on request', async () => {
    const source = '<script>window.__pwned = 1</script><b>bold</b>\nmov rax, 1';
    const r = await decodeShare(await encodeShare({ source, seq: 7 }));
    if (!r.ok) throw new Error(r.error);
    const onCopy = vi.fn();
    const { container, getByRole, getByText } = render(<SharedProgramBanner source={r.source} seq={r.seq} onCopyToHome={onCopy} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('pre')!.textContent).toBe(source);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
    // Events are numbered by their trace seq (#0 first), as in the toolbar's "Event #7 of N".
    getByText('The link points at event #7.');
    fireEvent.click(getByRole('button', { name: 'Copy to /home' }));
    expect(onCopy).toHaveBeenCalledWith(source);
  });

  it('a moment carries knobs and the lesson step; damaged ones are refused', async () => {
    const m = { source: 'x', seq: 5, knobs: { psc: 'off', 'ept.ad': 'on' }, lesson: { id: 'pagewalk', step: 2 } };
    expect(await decodeShare(await encodeShare(m))).toEqual({ ok: true, ...m });
    const bad = async (body: object) => {
      const bytes = new TextEncoder().encode(JSON.stringify({ v: 1, source: 'x', ...body }));
      const packed = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
      return decodeShare(`#share=${toBase64Url(packed)}`);
    };
    expect((await bad({ knobs: { psc: 3 } })).ok).toBe(false);
    expect((await bad({ knobs: ['psc'] })).ok).toBe(false);
    expect((await bad({ lesson: { id: 'pagewalk', step: 0 } })).ok).toBe(false);
    expect((await bad({ lesson: { id: '<b>', step: 1 } })).ok).toBe(false);
    expect(await bad({ knobs: { psc: 'off' } })).toEqual({ ok: true, source: 'x', knobs: { psc: 'off' } });
  });
});
