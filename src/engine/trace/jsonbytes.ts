// The trace's JSON lines written straight into UTF-8 bytes (the CLI's --trace): the same bytes as
// JsonLinesSink's strings, without building a string per line. An `instr` line is copied from
// its decoded instruction's cached middle, with its two numbers written as digits in place.

import { traceLine, instrMid, type InstrSite, type TraceEvent, type TraceSink, type Vmx } from './events.ts';

const enc = new TextEncoder();
const ascii = (s: string) => enc.encode(s);
/** The fixed end of an instr line, by VMX mode and CPL (root 0, root 3, non-root 0, non-root 3);
 *  its start, `{"seq":`, is written byte by byte. */
const TAIL = [',"vmx":"root","cpl":0}\n', ',"vmx":"root","cpl":3}\n', ',"vmx":"non-root","cpl":0}\n', ',"vmx":"non-root","cpl":3}\n'].map(ascii);
/** The most an instr line needs besides its middle: head, two numbers (a double printed by
 *  String() is at most 25 characters), the longest tail. */
const ROOM = 7 + 2 * 25 + 27;

/** Serialises each event as one JSON line into a buffer, handed to `out` in chunks. `out` must
 *  take the bytes before it returns (the buffer is reused); call flush() after the last event. */
export class JsonLinesBytes implements TraceSink {
  private buf: Uint8Array;
  private at = 0;
  constructor(private out: (chunk: Uint8Array) => void, size = 1 << 20) { this.buf = new Uint8Array(Math.max(size, 4096)); }

  event(e: TraceEvent) {
    if (e.type === 'instr') { this.instr(e.seq, e.rip, e.text, e.cycles, e.vmx, e.cpl, null); return; }
    this.text(traceLine(e) + '\n');
  }

  instr(seq: number, rip: string, text: string, cycles: number, vmx: Vmx, cpl: 0 | 3, site: InstrSite | null) {
    let mid = site?.jsonBytes;
    if (mid === undefined) {
      mid = enc.encode(instrMid(rip, text));
      if (site) site.jsonBytes = mid;
    }
    if (this.at + mid.length + ROOM > this.buf.length) {
      this.flush();
      if (mid.length + ROOM > this.buf.length) { this.text(`{"seq":${seq}${instrMid(rip, text)}${cycles}${TAIL_TEXT[tailOf(vmx, cpl)]}`); return; }
    }
    const b = this.buf;
    let at = this.at;
    b[at] = 123; b[at + 1] = 34; b[at + 2] = 115; b[at + 3] = 101; b[at + 4] = 113; b[at + 5] = 34; b[at + 6] = 58; // {"seq":
    at = putNumber(b, at + 7, seq);
    b.set(mid, at);
    at = putNumber(b, at + mid.length, cycles);
    const t = TAIL[tailOf(vmx, cpl)];
    b.set(t, at);
    this.at = at + t.length;
  }

  /** Hand over what is buffered. */
  flush() {
    if (this.at === 0) return;
    this.out(this.buf.subarray(0, this.at));
    this.at = 0;
  }

  private text(s: string) {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.at + 3 * s.length > this.buf.length) {
      this.flush();
      if (3 * s.length > this.buf.length) { this.out(enc.encode(s)); return; }
    }
    this.at += enc.encodeInto(s, this.buf.subarray(this.at)).written;
  }
}

const tailOf = (vmx: Vmx, cpl: 0 | 3) => (vmx === 'root' ? 0 : 2) + (cpl === 3 ? 1 : 0);
const TAIL_TEXT = TAIL.map((t) => new TextDecoder().decode(t));

/** Write n at b[at] as JSON.stringify prints it; returns the end. Integers below 2^53 (every
 *  seq and cycle count) as digits, from two halves that fit in 32 bits; anything else through
 *  String() (ASCII). */
export function putNumber(b: Uint8Array, at: number, n: number): number {
  if (n >= 0 && n <= 9007199254740991 && Math.floor(n) === n) {
    if (n < 100000000) return putSmall(b, at, n);
    const hi = Math.floor(n / 100000000);
    at = putSmall(b, at, hi);
    let lo = n - hi * 100000000;
    for (let p = at + 7; p >= at; p--) { const q = (lo / 10) | 0; b[p] = 48 + lo - q * 10; lo = q; }
    return at + 8;
  }
  const s = Number.isFinite(n) ? String(n) : 'null'; // as JSON.stringify prints NaN and Infinity
  for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i);
  return at + s.length;
}

/** 0 <= n < 10^8, in its decimal digits. */
function putSmall(b: Uint8Array, at: number, n: number): number {
  const end = at + (n < 10000 ? (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4) : n < 1000000 ? (n < 100000 ? 5 : 6) : n < 10000000 ? 7 : 8);
  for (let p = end - 1; p >= at; p--) { const q = (n / 10) | 0; b[p] = 48 + n - q * 10; n = q; }
  return end;
}
