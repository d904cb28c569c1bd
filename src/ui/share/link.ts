// Share links: a program and a point in time in the URL's hash fragment (never sent to a server).
//
//   #share=<base64url of deflate-raw of UTF-8 JSON {"v":1,"source":"...","seq":123}>
//
// A moment adds, optionally, "knobs" ({"psc":"off"}) and "lesson" ({"id":"pagewalk","step":2},
// step 1-based as in #lesson=ID&step=N); older links without them still decode.
//
// Whatever a link carries is TEXT: decodeShare returns the source string verbatim and checks its
// shape; the caller must show it as text (React text nodes, never innerHTML; in the terminal,
// through the editor's renderer which neutralizes control characters) and never run it unless
// the student asks.

import { files as msg } from '../messages/index.ts';

export const SHARE_VERSION = 1;
/** Limits against damaged or hostile links: the hash itself, and the decompressed payload. */
export const MAX_HASH_CHARS = 512 * 1024;
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

export interface SharedProgram { source: string; seq?: number; knobs?: Record<string, string>; lesson?: { id: string; step: number } }
export type DecodedShare = ({ ok: true } & SharedProgram) | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// base64url

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// deflate-raw through the platform's (de)compression streams

async function pipe(bytes: Uint8Array, t: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const writer = t.writable.getWriter();
  const writing = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  writing.catch(() => {});
  const reader = t.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new RangeError('too large');
    }
    chunks.push(value);
  }
  await writing;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The hash fragment ('#share=…') carrying a program and, optionally, the event it points at. */
export async function encodeShare(p: SharedProgram): Promise<string> {
  if (typeof p.source !== 'string') throw new TypeError('source must be a string');
  if (p.seq !== undefined && !(Number.isSafeInteger(p.seq) && p.seq >= 0)) throw new RangeError('seq must be a non-negative integer');
  const body: Record<string, unknown> = { v: SHARE_VERSION, source: p.source };
  if (p.seq !== undefined) body.seq = p.seq;
  if (p.knobs && Object.keys(p.knobs).length) body.knobs = p.knobs;
  if (p.lesson) body.lesson = p.lesson;
  const json = JSON.stringify(body);
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return `#share=${toBase64Url(packed)}`;
}

/** A full link: `base` (e.g. location.href) with its hash replaced. */
export async function shareUrl(base: string, p: SharedProgram): Promise<string> {
  return base.replace(/#.*$/, '') + (await encodeShare(p));
}

/** Reads a hash fragment ('#share=…', with or without '#', possibly among other '&' parameters).
 *  Never throws: a damaged link gives { ok: false, error } with a message to show. */
export async function decodeShare(hash: string): Promise<DecodedShare> {
  const h = String(hash ?? '');
  if (h.length > MAX_HASH_CHARS) return { ok: false, error: msg.share.tooBig };
  const param = h.replace(/^#/, '').split('&').find((kv) => kv.startsWith('share='));
  if (param === undefined) return { ok: false, error: msg.share.noShare };
  const bytes = fromBase64Url(param.slice('share='.length));
  if (!bytes || bytes.length === 0) return { ok: false, error: msg.share.badEncoding };
  let raw: Uint8Array;
  try {
    raw = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_PAYLOAD_BYTES);
  } catch (e) {
    return { ok: false, error: e instanceof RangeError ? msg.share.tooBig : msg.share.badData };
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return { ok: false, error: msg.share.badPayload };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ok: false, error: msg.share.badPayload };
  const d = data as { v?: unknown; source?: unknown; seq?: unknown; knobs?: unknown; lesson?: unknown };
  if (typeof d.v === 'number' && d.v > SHARE_VERSION) return { ok: false, error: msg.share.newerVersion(d.v) };
  if (d.v !== SHARE_VERSION || typeof d.source !== 'string') return { ok: false, error: msg.share.badPayload };
  if (d.seq !== undefined && !(typeof d.seq === 'number' && Number.isSafeInteger(d.seq) && d.seq >= 0))
    return { ok: false, error: msg.share.badPayload };
  const knobs = d.knobs;
  if (knobs !== undefined && !(knobs && typeof knobs === 'object' && !Array.isArray(knobs) &&
    Object.entries(knobs).every(([k, v]) => /^[a-z][a-z0-9.]{0,31}$/.test(k) && typeof v === 'string' && v.length <= 32)))
    return { ok: false, error: msg.share.badPayload };
  const l = d.lesson as { id?: unknown; step?: unknown } | undefined;
  if (l !== undefined && !(l && typeof l === 'object' && typeof l.id === 'string' && /^[a-z0-9-]{1,64}$/.test(l.id) &&
    typeof l.step === 'number' && Number.isSafeInteger(l.step) && l.step >= 1))
    return { ok: false, error: msg.share.badPayload };
  const out: { ok: true } & SharedProgram = { ok: true, source: d.source };
  if (d.seq !== undefined) out.seq = d.seq;
  if (knobs !== undefined) out.knobs = knobs as Record<string, string>;
  if (l !== undefined) out.lesson = { id: l.id as string, step: l.step as number };
  return out;
}
