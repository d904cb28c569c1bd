// Messages of the address-translation panels (walk grid, entry fields, VA split, translation
// chain, TLB). Bit and field names are not here: they come from src/engine/arch/x86.ts.

import type { WalkCause } from '../../engine/trace/events.ts';

export const walk = {
  // Walk grid
  gridLabel: 'Page walk',
  gridLabel2d: (n: number) => `Two-dimensional page walk: ${n} references`,
  gridLabel1d: (n: number) => `Native page walk: ${n} references`,
  refOf: (k: number, n: number) => (k >= n ? `All ${n} references read` : `Reference ${k} of ${n}`),
  gridHelp: 'Arrow keys move between references; the selected entry is decoded below.',
  rows2d: ['gL4', 'gL3', 'gL2', 'gL1', 'data GPA'],
  cols2d: ['nL4', 'nL3', 'nL2', 'nL1', 'guest entry'],
  rowTitles2d: [
    'guest PML4 entry', 'guest PDPT entry', 'guest PD entry', 'guest PT entry', 'the data guest-physical address',
  ],
  rows1d: ['host'],
  cols1d: ['L4', 'L3', 'L2', 'L1', 'data'],
  dataCell: 'data',
  spaceGuest: 'guest',
  spaceEpt: 'EPT',
  spaceHost: 'host',
  /** One-letter glyphs drawn in each cell's corner (the shape cue beside the colour). */
  glyph: { guest: 'G', ept: 'E', host: 'H' },
  skippedPsc: 'skipped (PSC hit)',
  skippedLarge: 'not used (large page)',
  unreached: 'not reached',
  stoppedHere: 'walk stopped here',
  pending: '…',
  noAccess: 'no access',
  cellLabel: (n: number, total: number, space: string, level: number, addr: string, value: string) =>
    `Reference ${n} of ${total}: ${space} level ${level} entry at ${addr}, value ${value}`,
  cellLabelDim: (n: number, total: number, space: string, level: number) =>
    `Reference ${n} of ${total}: ${space} level ${level} entry (not read yet)`,
  dataLabel: (hpa: string) => `Data access at host-physical ${hpa}`,
  dataFault: (fault: string) => `No data access: ${fault}`,
  pscHits: 'Paging-structure caches hit:',
  noPsc: 'No paging-structure cache hits',
  faultCaption: 'Walk stopped:',
  /** A walk's fault (the trace's words) in the UI's language, from its structured cause. */
  faultText: (fault: string, _cause?: WalkCause | null) => fault,
  legendGuest: 'guest page-table entry',
  legendEpt: 'EPT entry',
  legendHost: 'host page-table entry',
  legendSkipped: 'skipped',
  legendFault: 'fault',
  noWalk: 'No page walk at this point.',

  // Entry fields
  entryHeading: (space: string, level: number) => `${space} level ${level} entry`,
  entryNone: 'Select a reference to see its entry.',
  colField: 'Field',
  colBits: 'Bits',
  colValue: 'Value',
  colMeaning: 'Meaning',
  leaf: 'leaf',
  nonLeaf: 'points to the next table',
  notPresent: 'not present',
  addressField: 'address',
  memTypeField: 'memory type',
  xdField: 'XD',
  patField: 'PAT',
  mtReserved: 'reserved',
  /** Meanings, keyed by the x86.ts names (PTE, EPTE): the names themselves come from there. */
  pteMeaning: {
    P: 'present', RW: 'read/write (R/W)', US: 'user/supervisor (U/S)', PWT: 'page-level write-through',
    PCD: 'page-level cache disable', A: 'accessed', D: 'dirty', PS: 'page size (1 = large page)',
    G: 'global',
  },
  eptMeaning: {
    R: 'read', W: 'write', X: 'execute', IPAT: 'ignore PAT memory type', LARGE: 'large page (bit 7)',
    A: 'accessed', D: 'dirty',
  },
  patMeaning: 'page attribute table index bit',
  xdMeaning: 'execute disable',
  addressMeaning: (nextTable: boolean) => (nextTable ? 'physical address of the next table' : 'physical address of the page'),
  memTypeMeaning: 'EPT memory type',

  // VA split and the translation chain
  vaSplitLabel: 'Virtual address split into index fields',
  vaFields: ['PML4', 'PDPT', 'PD', 'PT', 'offset'],
  vaFieldLabel: (name: string, bits: string, value: string) => `${name} index, bits ${bits}: ${value}`,
  offsetLabel: (bits: string, value: string) => `offset, bits ${bits}: ${value}`,
  chainLabel: 'Translation chain',
  gva: 'gVA',
  gpa: 'gPA',
  hpa: 'hPA',
  va: 'VA',
  pa: 'PA',
  chainFault: 'fault',
  chainUnknown: 'unknown',

  // TLB table
  tlbLabel: 'TLB entries',
  tlbEmpty: 'The TLB is empty.',
  tlbCols: { vpid: 'VPID', pcid: 'PCID', ept: 'EPT tag', va: 'VA page', hpa: 'HPA', size: 'Size', flags: 'Flags' },
  tlbNoEpt: '—',
  tlbFlags: { rw: 'W', us: 'U', nx: 'NX', dirty: 'D', global: 'G' },
  tlbFlagTitles: { rw: 'writable', us: 'user', nx: 'no-execute', dirty: 'dirty', global: 'global' },
  tlbKind: { hit: 'TLB hit', fill: 'TLB fill', flush: 'TLB flush' },
  tlbFlushed: (va: string) => `Flushed: ${va} (no longer in the TLB)`,
  tlbCount: (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`,
} as const;
