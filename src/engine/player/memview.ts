// The current process's memory as plain data for the Memory panel: the host page table, in Dune
// mode libdune's guest page table (through the EPT) and the EPT, and the three address spaces
// (paper §4.2). World: a read-only observer (PhysMem reads only: no MMU, no A/D, no events).

import { VMCS } from '../arch/vmx.ts';
import { EPTE } from '../arch/x86.ts';
import { DUNE_LAYOUT, GPA_MAP, GPA_STACK, WINDOW, hvaToGpa, gpaToHva } from '../kernel/dune/layout.ts';
import { hex, hexVa } from '../trace/events.ts';
import { readTree, eptXlate, pteXlate, leaves, PTE_FORMAT, EPT_FORMAT, type TreeView, type PteBitsView, type EptBitsView } from './memtree.ts';
import type { Session } from '../session.ts';
import type { Vcpu } from '../kernel/dune/vmcs.ts';
import type { VmaKind } from '../kernel/process.ts';

export type { TreeView, EntryView, PteBitsView, EptBitsView, Counts } from './memtree.ts';

export type WindowName = 'low' | 'mmap' | 'stack';

export interface VmaView {
  start: string; end: string; kind: VmaKind;
  /** 'rwx' with '-' for a missing permission. */
  perms: string;
  /** Pages of the area present in the host page table. */
  pages: number;
  /** Guest-physical address of the start and its window (null: outside the three windows). */
  gpa: string | null;
  window: WindowName | null;
  /** Pages of the area the EPT maps (Dune mode). */
  eptPages: number;
}

export interface WindowView {
  name: WindowName;
  gpaStart: string; gpaEnd: string;
  hvaStart: string; hvaEnd: string;
  /** Indices into `vmas` of the areas that land in this window. */
  vmas: number[];
  /** EPT-mapped pages in the window. */
  eptPages: number;
}

/** A host-physical frame the EPT maps: its guest-physical page and the area it backs. */
export interface EptFrameView { gpa: string; hpa: string; vma: number | null; w: boolean }

export interface SpacesView {
  vmas: VmaView[];
  /** The three guest-physical windows (in Dune mode; empty for a Linux process). */
  windows: WindowView[];
  frames: {
    /** Frames of host-physical memory, and how many are allocated (page tables included). */
    total: number; used: number;
    /** Frames mapped by the process's host page table (user half) and by the EPT. */
    hostMapped: number; eptMapped: number;
    /** The EPT-mapped frames in guest-physical order (at most MAX_FRAMES). */
    ept: EptFrameView[];
    eptTruncated: boolean;
  };
}

export interface MemoryView {
  /** The event count at which the memory was read (MachineView.seq). */
  seq: number;
  pid: number; name: string;
  dune: boolean;
  /** Host CR3 of the process (its PML4's host-physical address). */
  cr3: string;
  /** Guest CR3 (the guest PML4's guest-physical address) and where it was read. */
  guestCr3: string | null;
  guestCr3From: 'cpu' | 'vmcs' | null;
  eptp: string | null;
  host: TreeView<PteBitsView>;
  /** libdune's page table (Dune mode): entries hold guest-physical addresses. */
  guest: TreeView<PteBitsView> | null;
  ept: TreeView<EptBitsView> | null;
  spaces: SpacesView;
  maxNodes: number;
}

export const DEFAULT_MAX_NODES = 2000;
const MAX_FRAMES = 1024;
const PAGE = 4096;

const WINDOWS: { name: WindowName; gpa: number; hva: number }[] = [
  { name: 'low', gpa: 0, hva: 0 },
  { name: 'mmap', gpa: GPA_MAP, hva: DUNE_LAYOUT.baseMap },
  { name: 'stack', gpa: GPA_STACK, hva: DUNE_LAYOUT.baseStack },
];
const windowOf = (gpa: number): WindowName => (gpa < GPA_MAP ? 'low' : gpa < GPA_STACK ? 'mmap' : 'stack');

export function memoryView(s: Session, opts: { maxNodes?: number } = {}): MemoryView {
  const m = s.machine, mem = m.mem, p = s.kernel.proc;
  const maxNodes = opts.maxNodes ?? DEFAULT_MAX_NODES;
  const v = p.vcpu as Vcpu | undefined;

  const { cr3: gcr3, from } = v ? guestCr3(s, v) : { cr3: null, from: null };

  // Half the budget for the host tree when there are three trees; the EPT is small.
  const hostBudget = v ? Math.floor(maxNodes / 2) : maxNodes;
  const host = readTree(mem, p.root, PTE_FORMAT, { maxNodes: hostBudget });
  let guest: TreeView<PteBitsView> | null = null, ept: TreeView<EptBitsView> | null = null;
  if (v) {
    ept = readTree(mem, v.eptRoot, EPT_FORMAT, { maxNodes: Math.floor(maxNodes / 4) });
    const locate = gpaLocator(s, v);
    if (gcr3 !== null) {
      const rootGpa = gcr3 - (gcr3 % PAGE);
      const r = locate(rootGpa);
      if (r) guest = readTree(mem, r.hpa, PTE_FORMAT, { maxNodes: maxNodes - hostBudget - Math.floor(maxNodes / 4), locate });
    }
  }

  return {
    seq: m.seq, pid: p.pid, name: p.name, dune: v !== undefined,
    cr3: hex(p.root), guestCr3: gcr3 === null ? null : hex(gcr3), guestCr3From: from,
    eptp: v ? hex(v.eptp) : null,
    host, guest, ept, spaces: spaces(s, v), maxNodes,
  };
}

function spaces(s: Session, v: Vcpu | undefined): SpacesView {
  const mem = s.machine.mem, p = s.kernel.proc;
  const sorted = [...p.vmas].sort((a, b) => a.start - b.start);
  const vmaAt = (va: number) => { const i = sorted.findIndex((x) => va >= x.start && va < x.end); return i < 0 ? null : i; };
  const pages = sorted.map(() => 0), eptPages = sorted.map(() => 0);
  let hostMapped = 0;
  leaves(mem, p.root, PTE_FORMAT, true, (va) => {
    hostMapped++;
    const i = vmaAt(va);
    if (i !== null) pages[i]++;
  });

  const ept: EptFrameView[] = [];
  const inWindow = new Map<WindowName, number>();
  let eptMapped = 0;
  if (v) leaves(mem, v.eptRoot, EPT_FORMAT, false, (gpa, hpa, lo) => {
    eptMapped++;
    inWindow.set(windowOf(gpa), (inWindow.get(windowOf(gpa)) ?? 0) + 1);
    const hva = gpaToHva(gpa), i = hva === null ? null : vmaAt(hva);
    if (i !== null) eptPages[i]++;
    if (ept.length < MAX_FRAMES) ept.push({ gpa: hex(gpa), hpa: hex(hpa), vma: i, w: (lo & EPTE.W) !== 0 });
  });

  const vmas: VmaView[] = sorted.map((a, i) => {
    const g = hvaToGpa(a.start);
    return { start: hexVa(a.start), end: hex(a.end), kind: a.kind,
      perms: (a.r ? 'r' : '-') + (a.w ? 'w' : '-') + (a.x ? 'x' : '-'), pages: pages[i],
      gpa: v && g !== null ? hex(g) : null, window: v && g !== null ? windowOf(g) : null, eptPages: eptPages[i] };
  });
  const windows: WindowView[] = v ? WINDOWS.map((w) => ({
    name: w.name, gpaStart: hex(w.gpa), gpaEnd: hex(w.gpa + WINDOW), hvaStart: hexVa(w.hva), hvaEnd: hex(w.hva + WINDOW),
    vmas: vmas.flatMap((x, i) => (x.window === w.name ? [i] : [])), eptPages: inWindow.get(w.name) ?? 0,
  })) : [];
  return { vmas, windows,
    frames: { total: mem.nframes, used: mem.used, hostMapped, eptMapped, ept, eptTruncated: eptMapped > ept.length } };
}

/** Guest CR3: the CPU's CR3 while this vCPU runs in VMX non-root, else the VMCS's GUEST_CR3
 *  (saved there at every VM exit); null when there is neither. Bits 11:0 are the PCID (libdune
 *  runs with CR4.PCIDE). */
export function guestCr3(s: Session, v: Vcpu): { cr3: number | null; from: MemoryView['guestCr3From'] } {
  const m = s.machine, vmcs = m.vmx.regions.get(v.vmcs);
  if (m.vmx.nonRoot && m.vmx.current?.id === v.vmcs) return { cr3: m.cpu.cr3, from: 'cpu' };
  if (vmcs) return { cr3: Number(vmcs.fields.get(VMCS.GUEST_CR3) ?? 0n), from: 'vmcs' };
  return { cr3: null, from: null };
}

/** Where a guest-physical address lives in host memory. A guest entry holds a guest-physical
 *  address: the EPT gives its host-physical page. A table libdune wrote but the guest has not
 *  touched is not in the EPT yet: the module would fill it on the EPT violation from the host page
 *  table at gpa_to_hva(gpa), and so do we. */
export function gpaLocator(s: Session, v: Vcpu) {
  const mem = s.machine.mem, root = s.kernel.proc.root;
  return (gpa: number): { hpa: number; via: 'ept' | 'host' } | null => {
    const e = eptXlate(mem, v.eptRoot, gpa);
    if (e !== null) return { hpa: e, via: 'ept' };
    const hva = gpaToHva(gpa), h = hva === null ? null : pteXlate(mem, root, hva);
    return h === null ? null : { hpa: h, via: 'host' };
  };
}

/** One page's part of a virtual range: its (guest-)physical and host-physical addresses and
 *  bytes, or null addresses and no bytes where the page is not mapped. */
export interface MemorySpan { va: number; pa: number | null; hpa: number | null; bytes: number[] }

/** The bytes at [va, va + n) of the process at the cursor, read through its page tables without
 *  side effects (no A/D bits, no TLB fill), one span per page. In a Dune process va is
 *  guest-virtual: libdune's page table (located through the EPT), then the EPT. */
export interface VirtualRead { space: 'guest' | 'host'; spans: MemorySpan[] }

export const READ_VIRTUAL_MAX = 256;

export function readVirtual(s: Session, va: number, n: number): VirtualRead {
  const mem = s.machine.mem, p = s.kernel.proc;
  const v = p.vcpu as Vcpu | undefined;
  n = Math.max(1, Math.min(READ_VIRTUAL_MAX, Math.floor(n)));
  let xlate: (a: number) => { pa: number; hpa: number } | null;
  if (v) {
    const gcr3 = guestCr3(s, v).cr3, locate = gpaLocator(s, v);
    const tableAt = (gpa: number) => locate(gpa)?.hpa ?? null;
    xlate = (a) => {
      if (gcr3 === null) return null;
      const gpa = pteXlate(mem, gcr3 - (gcr3 % PAGE), a, tableAt);
      const hpa = gpa === null ? null : tableAt(gpa);
      return gpa === null || hpa === null ? null : { pa: gpa, hpa };
    };
  } else {
    xlate = (a) => { const pa = pteXlate(mem, p.root, a); return pa === null ? null : { pa, hpa: pa }; };
  }
  const spans: MemorySpan[] = [];
  for (let a = va; a < va + n;) {
    const len = Math.min(va + n, a - (a % PAGE) + PAGE) - a;
    const t = xlate(a);
    spans.push({ va: a, pa: t?.pa ?? null, hpa: t?.hpa ?? null, bytes: t ? [...mem.readBytes(t.hpa, len)] : [] });
    a += len;
  }
  return { space: v ? 'guest' : 'host', spans };
}
