// Messages of the Memory panel (page-table trees, EPT, the three address spaces). Bit names are
// not here: they are the keys of the engine's bit views (src/engine/arch/x86.ts PTE / EPTE).

import type { Counts } from '../../engine/player/memview.ts';
import { fmt } from './locale.ts';

const n = (v: number) => fmt(v);
const plural = (v: number, one: string, many: string) => `${n(v)} ${v === 1 ? one : many}`;

export const memory = {
  title: 'Memory',
  help: 'The page tables of the current process, present entries only. A and D light up, marked A* and D*, where the hardware set them since the last view.',
  none: 'No memory view yet: load a program and step.',
  process: (pid: number, name: string, dune: boolean) => `pid ${pid} (${name}): ${dune ? 'a Dune process' : 'a Linux process'}`,

  trees: { host: 'Host page table', guest: 'Guest page table (libdune)', ept: 'EPT (the Dune module)' },
  treeHelp: {
    host: 'Linux\'s page table of the process (host CR3): host-virtual to host-physical.',
    guest: 'libdune\'s page table (guest CR3): guest-virtual to guest-physical. Each table is found through the EPT.',
    ept: 'Guest-physical to host-physical, filled by the module on EPT violations.',
  },
  hostRoot: (cr3: string) => `CR3 ${cr3}`,
  guestRoot: (cr3: string, from: 'cpu' | 'vmcs') => `guest CR3 ${cr3} (${from === 'cpu' ? 'in the CPU' : 'GUEST_CR3 in the VMCS'})`,
  eptRoot: (eptp: string) => `EPTP ${eptp}`,
  rootAt: (hpa: string) => `PML4 at host-physical ${hpa}`,
  noGuest: 'Not in Dune mode: no guest page table and no EPT.',
  noGuestYet: 'The guest page table is not reachable yet.',
  empty: 'No present entries.',
  levels: ['', 'PT', 'PD', 'PDPT', 'PML4'] as const,
  eptLevels: ['', 'EPT PT', 'EPT PD', 'EPT PDPT', 'EPT PML4'] as const,
  entryTitle: (level: string, index: number) => `${level}[${index}]`,
  maps: (base: string) => `maps ${base}`,
  toTable: (target: string) => `→ table ${target}`,
  toPage: (target: string) => `→ page ${target}`,
  inHost: (hpa: string) => `(host-physical ${hpa})`,
  entryAt: (addr: string) => `entry at ${addr}`,
  expand: (what: string) => `Expand ${what}`,
  collapse: (what: string) => `Collapse ${what}`,
  counts: (c: Counts) => `${n(c.present)} present · ${n(c.accessed)} accessed · ${n(c.dirty)} dirty`,
  notShown: (k: number) => `${plural(k, 'entry', 'entries')} not shown`,
  capped: 'Some entries are left out: large tables are summarised (first and last few, and the accessed ones) and the view has a node cap.',
  viaHost: 'not in the EPT yet: the walk would take an EPT violation here',
  viaNone: 'not reachable',
  memtype: (name: string) => `type ${name}`,
  bitsLabel: (names: string[]) => (names.length ? `bits set: ${names.join(', ')}` : 'no bits set'),
  litA: 'A set since the last view',
  litD: 'D set since the last view',
  isNew: 'new since the last view',
  changedBelow: 'changes below',

  // Address spaces
  spacesTitle: 'Three address spaces',
  spacesHelp: 'Each memory area of the process (host-virtual), the guest-physical window it lands in, and the host-physical frames behind it.',
  colHostVirtual: 'host-virtual (VMAs)',
  colGuestPhysical: 'guest-physical (windows)',
  colHostPhysical: 'host-physical (frames)',
  windowName: { low: 'low window', mmap: 'mmap window', stack: 'stack window' } as const,
  window: (name: string, start: string, end: string) => `${name} ${start}–${end}`,
  windowFrom: (hva: string) => `from host-virtual ${hva}`,
  noWindows: 'no guest-physical space (not a Dune process)',
  outside: 'outside the windows',
  vma: (kind: string, perms: string) => `${kind} ${perms}`,
  vmaRange: (start: string, end: string) => `${start}–${end}`,
  pages: (k: number) => plural(k, 'page', 'pages'),
  eptPages: (k: number) => `${plural(k, 'page', 'pages')} in the EPT`,
  frames: (used: number, total: number) => `${n(used)} of ${n(total)} frames in use`,
  hostMapped: (k: number) => `${plural(k, 'frame', 'frames')} mapped by the host page table`,
  eptMapped: (k: number) => `${plural(k, 'frame', 'frames')} mapped by the EPT`,
  framesOf: (k: number, first: string, last: string) => k === 0 ? 'no frames' : `${plural(k, 'frame', 'frames')} ${first}${k > 1 ? `…${last}` : ''}`,
  link: (from: string, to: string) => `${from} → ${to}`,
  diagramLabel: 'Host-virtual areas, guest-physical windows and host-physical frames, with lines between them',
};
