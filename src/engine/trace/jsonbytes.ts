// The trace's JSON lines written straight into UTF-8 bytes (the CLI's --trace): the same bytes as
// JsonLinesSink's strings, without building a string per line. An `instr` line is copied from
// its decoded instruction's cached middle, with its two numbers written as digits in place.

import { traceLine, instrMid, type InstrSite, type TraceEvent, type TraceSink, type Vmx } from './events.ts';

const enc = new TextEncoder();
const ascii = (s: string) => enc.encode(s);
/** The fixed ends of an instr line: its start, and its end by VMX mode and CPL (root 0, root 3,
 *  non-root 0, non-root 3). */
const HEAD = ascii('{"seq":');
const TAIL = [',"vmx":"root","cpl":0}\n', ',"vmx":"root","cpl":3}\n', ',"vmx":"non-root","cpl":0}\n', ',"vmx":"non-root","cpl":3}\n'].map(ascii);

/** Serialises each event as one JSON line into a buffer, handed to `out` in chunks. `out` must
 *  take the bytes before it returns (the buffer is reused); call flush() after the last event. */
export class JsonLinesBytes implements TraceSink {
  private buf: Uint8Array;
  private dv: DataView;
  private at = 0;
  constructor(private out: (chunk: Uint8Array) => void, size = 1 << 20) {
    this.buf = new Uint8Array(Math.max(size, 4096));
    this.dv = new DataView(this.buf.buffer);
  }

  event(e: TraceEvent) {
    if (e.type === 'instr') { this.instr(e.seq, e.rip, e.text, e.cycles, e.vmx, e.cpl, null); return; }
    this.text(traceLine(e) + '\n');
  }

  instr(seq: number, rip: string, text: string, cycles: number, vmx: Vmx, cpl: 0 | 3, site: InstrSite | null) {
    const sd = digits(seq), cd = digits(cycles);
    if (sd === 0 || cd === 0) { // not integers below 2^53 (never seen): as JSON.stringify prints them
      this.text(`{"seq":${JSON.stringify(seq)}${instrMid(rip, text)}${JSON.stringify(cycles)}${TAIL_TEXT[tailOf(vmx, cpl)]}`);
      return;
    }
    // The whole line is copied from a template made for this op with numbers of these lengths
    // and this tail (remade when one changes: rarely), then the digits are written over.
    const key = (sd * 32 + cd) * 4 + tailOf(vmx, cpl);
    let t = site?.jsonLine;
    if (t === undefined || t.key !== key) {
      t = new LineTemplate(key, sd, cd, instrMid(rip, text), tailOf(vmx, cpl));
      if (site) site.jsonLine = t;
    }
    const line = t.bytes;
    if (this.at + line.length > this.buf.length) {
      this.flush();
      if (line.length > this.buf.length) {
        const one = line.slice(), dv = new DataView(one.buffer);
        putDigits(dv, 7 + sd, seq); putDigits(dv, t.cyclesEnd, cycles);
        this.out(one);
        return;
      }
    }
    const at = this.at;
    this.buf.set(line, at);
    putDigits(this.dv, at + 7 + sd, seq);
    putDigits(this.dv, at + t.cyclesEnd, cycles);
    this.at = at + line.length;
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

/** An instr line with room for seq and cycles of given lengths (their digits left as zeros). */
export class LineTemplate {
  readonly bytes: Uint8Array;
  /** Where the cycles' digits end. */
  readonly cyclesEnd: number;
  constructor(readonly key: number, seqDigits: number, cycleDigits: number, mid: string, tail: number) {
    const m = enc.encode(mid), tl = TAIL[tail];
    this.bytes = new Uint8Array(7 + seqDigits + m.length + cycleDigits + tl.length).fill(48);
    this.bytes.set(HEAD, 0);
    this.bytes.set(m, 7 + seqDigits);
    this.cyclesEnd = 7 + seqDigits + m.length + cycleDigits;
    this.bytes.set(tl, this.cyclesEnd);
  }
}

const tailOf = (vmx: Vmx, cpl: 0 | 3) => (vmx === 'root' ? 0 : 2) + (cpl === 3 ? 1 : 0);
const TAIL_TEXT = TAIL.map((t) => new TextDecoder().decode(t));

/** How many decimal digits an integer 0 <= n < 2^53 has; 0 for any other number. Below 2^31
 *  (nearly always) in 32-bit integer arithmetic. */
function digits(n: number): number {
  if (n < 2147483648) {
    const v = n | 0;
    if (v !== n || v < 0) return 0;
    return v < 100000 ? (v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10000 ? 4 : 5)
      : v < 10000000 ? (v < 1000000 ? 6 : 7) : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  }
  if (!(n <= 9007199254740991) || Math.floor(n) !== n) return 0;
  return 8 + digits(Math.floor(n / 100000000));
}

/** "00" to "99" as the two bytes of a little-endian 16-bit store: two digits per division. */
const PAIRS = new Uint16Array(100).map((_, i) => (48 + Math.floor(i / 10)) | ((48 + (i % 10)) << 8));

/** The digits of an integer 0 <= n < 2^53, written backwards from byte end - 1. */
function putDigits(dv: DataView, end: number, n: number) {
  if (n > 2147483647) { // the low 8 digits, then the rest (below 2^53 / 10^8, so below 2^31)
    const hi = Math.floor(n / 100000000);
    let lo = (n - hi * 100000000) | 0;
    for (let k = 0; k < 4; k++) { const q = (lo / 100) | 0; end -= 2; dv.setUint16(end, PAIRS[lo - q * 100], true); lo = q; }
    n = hi;
  }
  let v = n | 0;
  while (v >= 100) { const q = (v / 100) | 0; end -= 2; dv.setUint16(end, PAIRS[v - q * 100], true); v = q; }
  if (v >= 10) dv.setUint16(end - 2, PAIRS[v], true); else dv.setUint8(end - 1, 48 + v);
}
