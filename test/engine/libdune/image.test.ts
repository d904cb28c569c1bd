// The runtime image (image.ts) the build ships to the page's worker (vite.config.ts runtimeImage,
// link.ts useRuntimeImage): what the plugin serves is packRuntime of a fresh assemble of
// runtime.ts, so it cannot be stale, and unpacking it gives back the assembled Program exactly
// (bytes, instructions with their keys in order, symbols, addresses).

import { describe, it, expect } from 'vitest';
import { assembleRuntime, runtime, useRuntimeImage } from '../../../src/engine/libdune/link.ts';
import { packRuntime, unpackRuntime, RUNTIME_IMAGE_VERSION, type RuntimeImage } from '../../../src/engine/libdune/image.ts';
import { runtimeImage, RUNTIME_IMAGE_ID } from '../../../vite.config.ts';
import type { Program } from '../../../src/engine/asm/ir.ts';

/** Everything a Program holds, in key order, with bigints and byte arrays spelled out. */
const spell = (p: Program) => JSON.stringify(p, (_k, v: unknown) =>
  typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `u8:${Array.from(v).join(',')}` : v instanceof Map ? [...v] : v);

const fresh = assembleRuntime();
const shipped = (): RuntimeImage => {
  const plugin = runtimeImage() as unknown as { resolveId(id: string): string | undefined; load(id: string): string | undefined };
  const id = plugin.resolveId(RUNTIME_IMAGE_ID)!;
  const code = plugin.load(id)!;
  const m = /^export default JSON\.parse\((.*)\);\n$/s.exec(code);
  expect(m).not.toBeNull();
  return JSON.parse(JSON.parse(m![1]) as string) as RuntimeImage;
};

describe('the runtime image (image.ts, vite.config.ts runtimeImage)', () => {
  it('round-trips the assembled runtime exactly, through JSON', () => {
    const back = unpackRuntime(JSON.parse(JSON.stringify(packRuntime(fresh))) as RuntimeImage);
    expect(back).toStrictEqual(fresh);
    expect(spell(back)).toBe(spell(fresh));
    expect(back.instrs.length).toBeGreaterThan(2500);
  });

  it('the plugin serves the image of a fresh assemble of runtime.ts', () => {
    const img = shipped();
    expect(img).toStrictEqual(JSON.parse(JSON.stringify(packRuntime(fresh))));
    expect(spell(unpackRuntime(img))).toBe(spell(fresh));
  });

  it('catches a difference in bytes, operands or symbols', () => {
    const img = JSON.parse(JSON.stringify(packRuntime(fresh))) as RuntimeImage;
    img.text.runs[0][1] = (img.text.runs[0][1][0] === 'f' ? '0' : 'f') + img.text.runs[0][1].slice(1);
    expect(spell(unpackRuntime(img))).not.toBe(spell(fresh));
    const img2 = JSON.parse(JSON.stringify(packRuntime(fresh))) as RuntimeImage;
    img2.symbols[0][1] = img2.symbols[0][1] + '0';
    expect(spell(unpackRuntime(img2))).not.toBe(spell(fresh));
    const img3 = JSON.parse(JSON.stringify(packRuntime(fresh))) as RuntimeImage;
    const withOp = img3.instrs.find((i) => i[6].length > 0)!;
    withOp[6][0] = ['i', '7'];
    expect(spell(unpackRuntime(img3))).not.toBe(spell(fresh));
  });

  it('refuses an image of another format version, and a Program whose instruction bytes are not its .text', () => {
    const img = packRuntime(fresh);
    expect(() => unpackRuntime({ ...img, version: RUNTIME_IMAGE_VERSION + 1 })).toThrow(/version/);
    const bad = { ...fresh, instrs: [{ ...fresh.instrs[0], bytes: fresh.instrs[0].bytes.map((b) => b ^ 1) }] };
    expect(() => packRuntime(bad)).toThrow(/not the \.text bytes/);
  });

  it('runtime() links the image it was handed, and only before its first call', () => {
    const img = shipped();
    useRuntimeImage(img);
    expect(spell(runtime().program)).toBe(spell(fresh));
    expect(() => useRuntimeImage(img)).toThrow(/already linked/);
  });
});
