// The Memory panel: page-table trees (host, guest, EPT) and the three address spaces. The app
// shell imports it from here; it fetches the data with engine.memory().

export { MemoryPanel, type MemoryPanelProps } from './MemoryPanel.tsx';
export { MemTree, diffTree, type MemTreeProps, type TreeKind } from './MemTree.tsx';
export { layoutSpaces, renderSpaces, type SpacesLayout } from './spacesRender.ts';
