// A 48-bit linear address split into its 4-level paging index fields (vtx-facts §3: PML4 47:39,
// PDPT 38:30, PD 29:21, PT 20:12, offset 11:0), and the chain gVA -> gPA -> hPA of one walk.

import type { WalkEvent } from './layout.ts';
import { isLeaf, leafTarget } from './entry.ts';

export interface VaPart { hi: number; lo: number; value: number }

/** Low 48 bits of a (canonical) linear address given as hex. */
export const va48 = (va: string) => BigInt(va) & ((1n << 48n) - 1n);

/** Index fields PML4, PDPT, PD, PT, then the offset, high bits first. */
export function splitVa(va: string): VaPart[] {
  const v = va48(va);
  const parts: VaPart[] = [];
  for (let level = 4; level >= 1; level--) {
    const lo = 12 + 9 * (level - 1);
    parts.push({ hi: lo + 8, lo, value: Number((v >> BigInt(lo)) & 511n) });
  }
  parts.push({ hi: 11, lo: 0, value: Number(v & 4095n) });
  return parts;
}

export interface Chain {
  dims: 1 | 2;
  va: string;
  /** 2-D only: the data's guest-physical address (null if the guest walk did not reach a leaf). */
  gpa: string | null;
  /** Host-physical address (the walk's result), null on a fault. */
  pa: string | null;
}

/** gVA -> gPA -> hPA for a 2-D walk (gPA = the guest leaf's page + the offset), VA -> PA for 1-D. */
export function translationChain(w: WalkEvent): Chain {
  const twoD = w.refs.some((r) => r.space !== 'host');
  if (!twoD) return { dims: 1, va: w.va, gpa: null, pa: w.result };
  const guest = w.refs.filter((r) => r.space === 'guest');
  const leaf = guest.length ? guest[guest.length - 1] : null;
  const mapped = leaf !== null && (BigInt(leaf.value) & 1n) === 1n && isLeaf('guest', leaf.level, BigInt(leaf.value));
  const gpa = mapped ? '0x' + leafTarget(leaf!, va48(w.va)).toString(16) : null;
  return { dims: 2, va: w.va, gpa, pa: w.result };
}
