// The views a lesson step may name, by id. Until the shell's panel registry (src/ui/shell) exports
// its list, these are the panels Panels.tsx lays out today: switch this one list when it lands.

export const PANEL_IDS = ['source', 'timeline', 'privilege', 'walk', 'cpu', 'vmcs', 'tlb', 'memory', 'output', 'wedge', 'sandbox'] as const;
export type PanelId = (typeof PANEL_IDS)[number];
