// The machine panels, for the app shell: privilege map, CPU, VMCS, timeline, cost chart.
// Each takes plain props (MachineView pieces, trace events) and owns only its own DOM region.

export { PrivilegeMap, type PrivilegeMapProps } from './PrivilegeMap.tsx';
export { CpuPanel, type CpuPanelProps } from './CpuPanel.tsx';
export { VmcsPanel, type VmcsPanelProps } from './VmcsPanel.tsx';
export { Timeline, type TimelineProps } from './Timeline.tsx';
export { CostChart, type CostChartProps } from './CostChart.tsx';
export { summarize, EVENT_TYPES } from './eventSummary.ts';
export { moveOf, regionOf } from './regions.ts';
