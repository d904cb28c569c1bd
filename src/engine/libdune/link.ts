// Linking the runtime (libc + libdune) into a process: assemble runtime.ts once, then after the
// loader maps it, bind the `native_*` labels and the libdune entry slots to TypeScript routines.
// World: the loader (host kernel) for placement; the routines run in the guest.

import { assemble, formatAsmErrors } from '../asm/index.ts';
import { RUNTIME_SOURCE, LIBDUNE_API } from './runtime.ts';
import { natives, type RuntimeSyms } from './natives.ts';
import { RUNTIME_FUNCS, RUNTIME_SLOT } from '../arch/dune.ts';
import { LAYOUT } from '../arch/linux.ts';
import { nativeOp } from '../cpu/decode.ts';
import { lookup } from '../kernel/pgtable.ts';
import type { Program } from '../asm/ir.ts';
import { unpackRuntime, type RuntimeImage } from './image.ts';
import type { PhysMem } from '../mem/phys.ts';

let cached: { program: Program; syms: RuntimeSyms; natives: ReturnType<typeof natives> } | null = null;
let image: RuntimeImage | null = null;

/** Use a runtime assembled ahead of time (image.ts packRuntime of assembleRuntime(), done at
 *  build time for the page: vite.config.ts runtimeImage) instead of assembling it at the first
 *  runtime(). Only before that first call; the CLI and the tests assemble it as before. */
export function useRuntimeImage(img: RuntimeImage) {
  if (cached) throw new Error('the runtime is already linked');
  image = img;
}

/** Assembles libc + libdune from runtime.ts. */
export function assembleRuntime(): Program {
  const r = assemble(RUNTIME_SOURCE, 'runtime.s', { runtime: true });
  if (!r.ok) throw new Error(`the runtime does not assemble:\n${formatAsmErrors(r.errors)}`);
  return r.program;
}

export function runtime() {
  if (cached) return cached;
  const program = image ? unpackRuntime(image) : assembleRuntime();
  const symbols = program.symbols;
  RUNTIME_FUNCS.forEach((f, i) => {
    if (Number(symbols.get(f)) !== LAYOUT.RUNTIME_TEXT + RUNTIME_SLOT * i) throw new Error(`runtime slot of ${f} is misplaced`);
  });
  const syms: RuntimeSyms = {
    get(name) {
      const v = symbols.get(name);
      if (v === undefined) throw new Error(`runtime symbol ${name} is missing`);
      return Number(v);
    },
  };
  cached = { program, syms, natives: natives(syms) };
  return cached;
}

/** Bind the natives in a process whose page table (root) maps the runtime. */
export function bindNatives(mem: PhysMem, root: number) {
  const rt = runtime();
  const place = (va: number, name: string) => {
    const fn = rt.natives.get(name);
    if (!fn) throw new Error(`no native routine ${name}`);
    const e = lookup(mem, root, va);
    if (!e) throw new Error(`runtime address ${va.toString(16)} is not mapped`);
    const frame = mem.wframe((((e[1] & 0xfffff) * 2 ** 32) + ((e[0] & 0xfffff000) >>> 0)) / 4096);
    const code = frame.code ?? (frame.code = []);
    code[va % 4096] = nativeOp(va, name, fn as (m: never) => void);
  };
  for (const [name] of rt.natives) {
    if (name.startsWith('slot:')) place(rt.syms.get(name.slice(5)), name);
    else place(rt.syms.get(name), name);
  }
  void LIBDUNE_API;
}
