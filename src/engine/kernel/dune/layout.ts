// Dune's guest-physical layout as the paper gives it (§4.2 "Memory Management"): three windows of
// 4 GiB packed into the first 12 GiB of guest-physical space: the process's low region (text,
// data, heap) at GPA 0, the mmap region at 4 GiB, the stack region at 8 GiB. Host-virtual
// addresses outside the windows have no guest-physical address. World: the Dune module (VMX root).

import { LAYOUT } from '../../arch/linux.ts';

export const GIB = 2 ** 30;
export const WINDOW = 4 * GIB;

/** struct dune_layout as DUNE_GET_LAYOUT returns it: phys_limit, base_map, base_stack. */
export const DUNE_LAYOUT = {
  physLimit: 3 * WINDOW,
  /** The mmap window: the 4 GiB below the top of the mmap area. */
  baseMap: LAYOUT.MMAP_TOP - WINDOW,
  /** The stack window: the 4 GiB-aligned window holding the stack. */
  baseStack: Math.floor((LAYOUT.STACK_TOP - 1) / WINDOW) * WINDOW,
} as const;

export const GPA_MAP = WINDOW, GPA_STACK = 2 * WINDOW;

/** Host-virtual -> guest-physical (kern/ept.c hva_to_gpa, with the paper's windows); null outside. */
export function hvaToGpa(hva: number): number | null {
  if (hva >= 0 && hva < WINDOW) return hva;
  if (hva >= DUNE_LAYOUT.baseMap && hva < DUNE_LAYOUT.baseMap + WINDOW) return GPA_MAP + (hva - DUNE_LAYOUT.baseMap);
  if (hva >= DUNE_LAYOUT.baseStack && hva < DUNE_LAYOUT.baseStack + WINDOW) return GPA_STACK + (hva - DUNE_LAYOUT.baseStack);
  return null;
}

/** Guest-physical -> host-virtual (gpa_to_hva); null beyond phys_limit. */
export function gpaToHva(gpa: number): number | null {
  if (gpa < 0 || gpa >= DUNE_LAYOUT.physLimit) return null;
  if (gpa < GPA_MAP) return gpa;
  if (gpa < GPA_STACK) return DUNE_LAYOUT.baseMap + (gpa - GPA_MAP);
  return DUNE_LAYOUT.baseStack + (gpa - GPA_STACK);
}
