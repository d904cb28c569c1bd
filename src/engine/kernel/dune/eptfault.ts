// Filling the EPT lazily from the process's host page tables (kern/ept.c vmx_do_ept_fault), and
// clearing it when the host mapping changes (the MMU-notifier callbacks + INVEPT).
// World: the Dune module, VMX root.

import { gpaToHva, DUNE_LAYOUT, GPA_MAP, GPA_STACK, WINDOW } from './layout.ts';
import { eptMap, eptLookup } from '../../ept/ept.ts';
import { lookup } from '../pgtable.ts';
import { INVEPT_TYPE } from '../../arch/vmx.ts';
import { EPTE, EPTP } from '../../arch/x86.ts';
import { hex, hexVa } from '../../trace/events.ts';
import type { Kernel } from '../kernel.ts';
import type { Vcpu } from './vmcs.ts';
import type { PhysMem } from '../../mem/phys.ts';
import { kernelNote } from '../../trace/notes.ts';
import { rep, type ReportMsg } from '../../report.ts';

/** Handle an EPT violation at gpa; returns null on success or why it was refused (a report line
 *  by key: engine/report.ts says it in English). The EPTE gets R+X, write-back, IPAT, and W only
 *  on a write fault (get_user_pages_fast with write). */
export function eptFault(k: Kernel, v: Vcpu, gpa: number, write: boolean): ReportMsg | null {
  const m = k.m;
  m.cycles += m.costs.dune.eptFault;
  const hva = gpaToHva(gpa);
  if (hva === null) return rep('ept-beyond-limit', { gpa: hex(gpa) });
  const page = hva - (hva % 4096);
  if (!k.faultIn(page, 1, write)) return rep('ept-no-user-page', { page: hexVa(page), write });
  const pte = lookup(m.mem, k.proc.root, page);
  if (!pte) return rep('ept-no-host-pte', { page: hexVa(page) });
  const hpa = (pte[1] & 0xfffff) * 2 ** 32 + ((pte[0] & 0xfffff000) >>> 0);
  const gpage = gpa - (gpa % 4096);
  const old = eptLookup(m.mem, v.eptRoot, gpage);
  const w = write || (old !== null && (old.lo & EPTE.W) !== 0 && (old.hi & 0xfffff) * 2 ** 32 + ((old.lo & 0xfffff000) >>> 0) === hpa);
  // ept_set_epte: with EPT A/D on, "premark A/D to avoid extra memory references" (A, and D when
  // the fault was a write), so the retried access does not set them in the leaf again.
  const ad = (v.eptp & EPTP.AD) !== 0;
  eptMap(m.mem, v.eptRoot, gpage, hpa, { r: true, w, x: true, a: ad, d: ad && write });
  m.emit(kernelNote('vmx_do_ept_fault', 'eptFill', { gpa: hex(gpage), hva: hexVa(page), hpa: hex(hpa), w, ad, write }));
  return null;
}

/** The MMU notifier: the host changed [start, start+len) of the process; drop the EPT entries of
 *  the guest-physical pages behind it and INVEPT, before the host frees or reuses any frame. Only
 *  tables that exist are visited, so a huge range costs what is mapped in it. */
export function eptInvalidateRange(k: Kernel, v: Vcpu, start: number, len: number, why: string) {
  const m = k.m;
  let n = 0;
  const end = start + len;
  for (const [hva, gpa] of [[0, 0], [DUNE_LAYOUT.baseMap, GPA_MAP], [DUNE_LAYOUT.baseStack, GPA_STACK]]) {
    const s = Math.max(start, hva), e = Math.min(end, hva + WINDOW);
    if (s < e) n += eptClearRange(m.mem, v.eptRoot, gpa + (s - hva) - (s % 4096), gpa + (e - hva));
  }
  if (n === 0) return;
  m.emit(kernelNote('mmu_notifier_invalidate_range', 'eptCleared', { why, n, start: hexVa(start), len: hex(len) }));
  m.vmx.invept(INVEPT_TYPE.SINGLE_CONTEXT, v.eptp);
}

/** Clear every present 4 KiB EPT leaf for guest-physical [s, e); returns how many. */
function eptClearRange(mem: PhysMem, root: number, s: number, e: number): number {
  let n = 0;
  const walk = (table: number, level: number, base: number) => {
    const size = 2 ** (12 + 9 * (level - 1));
    const first = Math.max(0, Math.floor((s - base) / size)), last = Math.min(511, Math.floor((e - 1 - base) / size));
    for (let i = first; i <= last; i++) {
      const pa = table + i * 8, lo = mem.read32(pa), hi = mem.read32(pa + 4);
      if (!(lo & 7)) continue;
      if (level === 1) { mem.write32(pa, 0); mem.write32(pa + 4, 0); n++; }
      else if (!(level === 2 && (lo & EPTE.LARGE))) walk((hi & 0xfffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0), level - 1, base + i * size);
    }
  };
  walk(root, 4, 0);
  return n;
}
