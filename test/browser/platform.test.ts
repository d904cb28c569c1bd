// Facts about the real browser that the engine and UI rely on, checked in Chromium:
// little-endian DataView access to guest memory, 64-bit wrap-around with BigInt,
// and a module Web Worker (bundled by Vite) that the engine will later run in.

import { describe, expect, it } from 'vitest';

describe('DataView as guest memory (x86 is little-endian)', () => {
  it('two 32-bit halves read back as one 64-bit value', () => {
    const view = new DataView(new ArrayBuffer(16));
    view.setUint32(0, 0x89abcdef, true); // low half first
    view.setUint32(4, 0x01234567, true);
    expect(view.getBigUint64(0, true)).toBe(0x0123456789abcdefn);
    expect(view.getUint8(0)).toBe(0xef);
    expect(view.getUint8(7)).toBe(0x01);
  });

  it('a 64-bit store splits into low and high 32-bit halves', () => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, 0xffff_8000_0000_1000n, true);
    expect(view.getUint32(0, true)).toBe(0x0000_1000);
    expect(view.getUint32(4, true)).toBe(0xffff_8000);
    expect(view.getBigInt64(0, true)).toBe(-0x7fff_ffff_f000n);
  });

  it('BigInt.asUintN wraps like a 64-bit register', () => {
    expect(BigInt.asUintN(64, -1n)).toBe(0xffff_ffff_ffff_ffffn);
    expect(BigInt.asUintN(64, 0xffff_ffff_ffff_ffffn + 2n)).toBe(1n);
    expect(BigInt.asIntN(64, 0x8000_0000_0000_0000n)).toBe(-(2n ** 63n));
  });
});

describe('Web Worker', () => {
  it('a module worker answers a message, with BigInt through structured clone', async () => {
    const worker = new Worker(new URL('./echo.worker.ts', import.meta.url), { type: 'module' });
    try {
      const reply = await new Promise<{ sum: number; big: bigint }>((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(`worker failed: ${e.message}`));
        worker.postMessage({ bytes: new Uint8Array([1, 2, 3, 250]), big: 2n ** 63n });
      });
      expect(reply).toEqual({ sum: 256, big: 2n ** 63n + 1n });
    } finally {
      worker.terminate();
    }
  });
});
