// A paging-structure entry's 64-bit value split into its named fields: the 4-level paging format
// (guest and host tables, vtx-facts §3) or the EPT format (§2.2), by space, level and PS/bit 7.
// Pure data; the field names are the keys of PTE / EPTE in src/engine/arch/x86.ts.

import { ADDR_HI_MASK, ADDR_LO_MASK, EPT_MT, EPTE, PTE, PTE_NX_HI } from '../../../engine/arch/x86.ts';
import type { WalkRef } from '../../../engine/trace/events.ts';
import { messages } from '../../messages/index.ts';

const t = messages.walk;

export interface EntryField {
  /** Display name: an x86.ts key (P, RW, ...) or a catalog label (address, memory type, XD, PAT). */
  name: string;
  /** Bit range, high:low, or a single bit number. */
  bits: string;
  hi: number;
  lo: number;
  /** The field's raw value. */
  value: bigint;
  /** The value as shown: 0/1 for flags, hex for the address, the type's name for memory type. */
  shown: string;
  meaning: string;
}

export interface DecodedEntry {
  space: WalkRef['space'];
  level: number;
  value: bigint;
  present: boolean;
  leaf: boolean;
  fields: EntryField[];
}

/** Physical-address bits 51:12 of an entry (x86.ts ADDR_*_MASK). */
export const ADDR_MASK = (BigInt(ADDR_HI_MASK) << 32n) | BigInt(ADDR_LO_MASK);

const bitOf = (mask: number) => Math.log2(mask);
const field = (v: bigint, lo: number, width: number) => (v >> BigInt(lo)) & ((1n << BigInt(width)) - 1n);

/** Does this entry map a page (rather than point to a table)? Level 1 always; levels 2 and 3
 *  when bit 7 is set (PS for paging, "large page" for EPT). */
export function isLeaf(space: WalkRef['space'], level: number, value: bigint): boolean {
  if (level === 1) return true;
  const bit7 = BigInt(space === 'ept' ? EPTE.LARGE : PTE.PS);
  return (level === 2 || level === 3) && (value & bit7) !== 0n;
}

/** Page size mapped by a leaf at this level: 4 KiB, 2 MiB, 1 GiB. */
export const pageBits = (level: number) => 12 + 9 * (level - 1);

function flag(v: bigint, name: string, mask: number, meaning: string): EntryField {
  const b = bitOf(mask), x = field(v, b, 1);
  return { name, bits: String(b), hi: b, lo: b, value: x, shown: x.toString(), meaning };
}

function address(v: bigint, leaf: boolean): EntryField {
  const a = v & ADDR_MASK;
  return { name: t.addressField, bits: '51:12', hi: 51, lo: 12, value: a, shown: '0x' + a.toString(16), meaning: t.addressMeaning(!leaf) };
}

/** 4-level paging entry (guest or host). Bits that a level ignores or reserves are left out. */
function decodePte(v: bigint, level: number, leaf: boolean): EntryField[] {
  const m = t.pteMeaning;
  const out: EntryField[] = [];
  for (const [name, mask] of Object.entries(PTE) as [keyof typeof PTE, number][]) {
    if ((name === 'D' || name === 'G') && !leaf) continue; // ignored in a non-leaf entry
    if (name === 'PS') {
      if (level === 4) continue; // reserved (must be 0)
      if (level === 1) { out.push(flag(v, t.patField, mask, t.patMeaning)); continue; } // bit 7 of a PTE is PAT
    }
    out.push(flag(v, name, mask, m[name]));
  }
  out.push(address(v, leaf));
  out.push(flag(v, t.xdField, PTE_NX_HI * 2 ** 32, t.xdMeaning));
  return out;
}

/** EPT memory type names by value (x86.ts EPT_MT); 2, 3 and 7 are reserved. */
const MT_NAME = new Map<number, string>(Object.entries(EPT_MT).map(([k, n]) => [n, k]));

/** EPT entry: memory type and IPAT exist only in a leaf; bit 7 only at levels 2 and 3. */
function decodeEpte(v: bigint, level: number, leaf: boolean): EntryField[] {
  const m = t.eptMeaning;
  const out: EntryField[] = [];
  for (const [name, mask] of Object.entries(EPTE) as [keyof typeof EPTE, number][]) {
    if (name === 'MT_SHIFT') {
      if (!leaf) continue;
      const mt = field(v, mask, 3), lo = mask;
      out.push({ name: t.memTypeField, bits: `${lo + 2}:${lo}`, hi: lo + 2, lo, value: mt,
        shown: `${mt} ${MT_NAME.get(Number(mt)) ?? t.mtReserved}`, meaning: t.memTypeMeaning });
      continue;
    }
    if ((name === 'IPAT' || name === 'D') && !leaf) continue;
    if (name === 'LARGE' && (level === 1 || level === 4)) continue; // ignored / reserved there
    out.push(flag(v, name, mask, m[name]));
  }
  out.push(address(v, leaf));
  return out;
}

/** Split an entry into fields by its space (EPT or paging) and level. */
export function decodeEntry(space: WalkRef['space'], level: number, value: bigint | string): DecodedEntry {
  const v = BigInt(value);
  const ept = space === 'ept';
  const present = ept ? (v & 7n) !== 0n : (v & BigInt(PTE.P)) !== 0n;
  const leaf = isLeaf(space, level, v);
  return { space, level, value: v, present, leaf, fields: ept ? decodeEpte(v, level, leaf) : decodePte(v, level, leaf) };
}

/** The page a leaf entry maps, plus the linear address's offset in it: the guest-physical
 *  address of the data (2-D walk) or the physical address (1-D). */
export function leafTarget(r: WalkRef, va: bigint): bigint {
  const bits = BigInt(pageBits(r.level));
  const size = 1n << bits;
  const base = BigInt(r.value) & ADDR_MASK & ~(size - 1n);
  return base + (va & (size - 1n));
}
