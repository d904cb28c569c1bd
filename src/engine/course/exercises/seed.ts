// Seeds for exercises: a name or ID and the exercise set hash to a 32-bit seed (FNV-1a), which
// drives a small PRNG (mulberry32). Same text, same problems, on any machine and with no server.
// World: pure, deterministic.

/** FNV-1a over the UTF-16 code units of s. */
export function hashSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

export interface Rng { int(n: number): number; pick<T>(xs: readonly T[]): T }

/** mulberry32: a tiny, well-mixed 32-bit generator, enough to choose problem parameters. */
export function rngFrom(seed: string): Rng {
  let a = hashSeed(seed);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}
