// A deep copy of the kernel's own state for snapshots (Kernel.save and restore): what
// structuredClone gives for plain data (objects, arrays, Maps, Sets, typed arrays, primitives,
// shared references kept shared), without its serialise-and-parse round trip, which cost a
// checkpoint more than the rest of the kernel's snapshot. World: VMX root kernel (its bookkeeping).

/** A copy of v as structuredClone makes it for the data the kernel keeps (no functions: those
 *  throw, as structuredClone's DataCloneError). An object of a class becomes a plain object with
 *  its own enumerable properties, as there. */
export function copyState<T>(v: T): T {
  return copy(v, new Map()) as T;
}

function copy(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) {
    if (typeof v === 'function') throw new TypeError('copyState: a function cannot be copied');
    return v;
  }
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    const a = new Array<unknown>(v.length);
    seen.set(v, a);
    for (let i = 0; i < v.length; i++) if (i in v) a[i] = copy(v[i], seen);
    return a;
  }
  if (v instanceof Map) {
    const m = new Map();
    seen.set(v, m);
    for (const [k, x] of v) m.set(copy(k, seen), copy(x, seen));
    return m;
  }
  if (v instanceof Set) {
    const s = new Set();
    seen.set(v, s);
    for (const x of v) s.add(copy(x, seen));
    return s;
  }
  if (v instanceof Date || v instanceof RegExp || v instanceof Error) {
    const c = structuredClone(v); // kept as what they are, as there (the kernel keeps none now)
    seen.set(v, c);
    return c;
  }
  if (ArrayBuffer.isView(v)) {
    const t = (v as unknown as { slice(): unknown }).slice();
    seen.set(v, t);
    return t;
  }
  const o: Record<string, unknown> = {};
  seen.set(v, o);
  for (const k of Object.keys(v)) o[k] = copy((v as Record<string, unknown>)[k], seen);
  return o;
}
