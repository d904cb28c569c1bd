// Layout presets: which registered panels (panels/registry.tsx) go in which column, and which parts
// of the page's chrome show. A layout is data; Panels.tsx renders any of them.

import type { PanelId } from '../panels/registry.tsx';

export type LayoutId = 'edit' | 'normal' | 'lesson' | 'present' | 'embed';

export interface Layout {
  columns: PanelId[][];
  /** The columns on a narrow screen (a 1024x768 projector), when they differ. */
  narrow?: PanelId[][];
  /** Relative column widths (the normal layout's are resizable and remembered). */
  widths: number[];
  /** Lesson text docked as the first column. */
  lessonDock: boolean;
  /** The views fill the viewport below the header; each column scrolls on its own. */
  fit: boolean;
}

export const LAYOUTS: Record<LayoutId, Layout> = {
  /** Before a run, or while editing: the program beside its output. */
  edit: { columns: [['source'], ['lesson', 'output', 'glossary']], widths: [1.3, 1], lessonDock: false, fit: false },
  /** A run is loaded: the views are the page. */
  normal: {
    columns: [['privilege', 'event', 'source', 'output'], ['sandbox', 'wedge', 'walk', 'swimlanes', 'tlb', 'memory', 'lesson'], ['timeline', 'vmcs', 'cpu', 'whatif', 'glossary']],
    narrow: [['privilege', 'event', 'source', 'timeline', 'output'], ['sandbox', 'wedge', 'walk', 'swimlanes', 'tlb', 'vmcs', 'cpu', 'memory', 'whatif', 'lesson', 'glossary']],
    widths: [1.3, 1.4, 1.1], lessonDock: false, fit: true,
  },
  /** A lesson: its text docked beside the step's panels. */
  lesson: {
    columns: [['privilege', 'event', 'source', 'output'], ['sandbox', 'wedge', 'walk', 'tlb', 'vmcs', 'memory', 'timeline', 'cpu']],
    narrow: [['privilege', 'sandbox', 'wedge', 'walk', 'tlb', 'vmcs', 'event', 'source', 'output', 'memory', 'timeline', 'cpu']],
    widths: [1, 1.4], lessonDock: true, fit: true,
  },
  /** Presentation: the lesson text and only the step's panels, large type, no page scroll. */
  present: {
    columns: [['privilege', 'event', 'source'], ['sandbox', 'wedge', 'walk', 'vmcs', 'tlb', 'timeline', 'cpu', 'output']],
    narrow: [['privilege', 'sandbox', 'wedge', 'walk', 'vmcs', 'tlb', 'event', 'source', 'timeline', 'cpu', 'output']],
    widths: [1, 1.4], lessonDock: true, fit: true,
  },
  /** A course page's iframe (800x500): the named panels only. */
  embed: { columns: [['privilege', 'event', 'source'], ['sandbox', 'wedge', 'walk', 'tlb', 'vmcs', 'timeline', 'cpu', 'memory', 'output']], widths: [1, 1.3], lessonDock: false, fit: true },
};

/** The layout's columns keeping only the panels in `only` (a lesson step's `show`, an embed's
 *  `panels=`), in the layout's order; empty columns are dropped. */
export function columnsOf(layout: Layout, only?: readonly string[], narrow = false): { panels: PanelId[]; width: number }[] {
  const keep = (id: PanelId) => !only || only.includes(id) || (id === 'lesson' && !layout.lessonDock);
  const columns = narrow && layout.narrow ? layout.narrow : layout.columns;
  return columns.map((c, i) => ({ panels: c.filter(keep), width: layout.widths[i] ?? 1 })).filter((c) => c.panels.length > 0);
}
