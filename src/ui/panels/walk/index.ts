// The address-translation panels: the walk grid, an entry's fields, the VA split, the
// translation chain and the TLB table. The app shell imports them from here.

export { WalkGrid, type WalkGridProps } from './WalkGrid.tsx';
export { EntryFields, type EntryFieldsProps } from './EntryFields.tsx';
export { VaSplit, type VaSplitProps } from './VaSplit.tsx';
export { TranslationChain, type TranslationChainProps } from './TranslationChain.tsx';
export { TlbTable, type TlbTableProps, type TlbHighlightKind } from './TlbTable.tsx';
export { renderWalkGrid, type WalkGridOpts, type WalkGridData } from './renderWalkGrid.ts';
export { layoutWalk, type WalkEvent, type WalkLayout, type GridCell } from './layout.ts';
