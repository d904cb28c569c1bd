// The documented what-if knobs (`--set KEY=VALUE`, cli-and-trace.md): each switches a hardware
// or module feature so students can see what it buys. World: configuration, read at boot.

import type { Knobs } from './mmu/mmu.ts';

export const KNOB_DOCS: Record<string, string> = {
  tlb: 'on|off: the TLB (off: every access walks the page tables)',
  psc: 'on|off: paging-structure caches and their EPT (nested) equivalents',
  vpid: 'on|off: VPID tagging (off: every VM entry and exit flushes the TLB)',
  'ept.ad': 'on|off: EPT accessed/dirty flags (EPTP bit 6)',
  hugepages: 'on|off: 2 MiB pages where the Dune module and libdune can use them',
};

const KEY: Record<string, keyof Knobs> = { tlb: 'tlb', psc: 'psc', vpid: 'vpid', 'ept.ad': 'eptAd', hugepages: 'hugepages' };

/** Parse KEY=VALUE settings; returns the knobs or a message naming the bad setting. */
export function parseKnobs(settings: Record<string, string> | string[]): { ok: true; knobs: Partial<Knobs> } | { ok: false; error: string } {
  const pairs = Array.isArray(settings)
    ? settings.map((s) => { const i = s.indexOf('='); return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)]; })
    : Object.entries(settings);
  const knobs: Partial<Knobs> = {};
  for (const [k, v] of pairs) {
    const key = KEY[k.trim()];
    if (!key) return { ok: false, error: `unknown setting '${k}'; known: ${Object.keys(KEY).join(', ')}` };
    const val = v.trim().toLowerCase();
    if (val !== 'on' && val !== 'off') return { ok: false, error: `setting ${k} takes on or off, not '${v}'` };
    knobs[key] = val === 'on';
  }
  return { ok: true, knobs };
}
