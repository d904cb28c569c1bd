// A lesson is data: steps, each with its text, the program to run (and knobs), where to move the
// cursor (an event pattern), and which panels to show. The lesson player (src/ui/lessons) plays
// any lesson; new kinds of step add fields here, not code paths in the player.

import type { EventMatch } from '../ui/worker/protocol.ts';

export type PanelId = 'source' | 'timeline' | 'privilege' | 'walk' | 'cpu' | 'vmcs' | 'tlb' | 'memory' | 'output';

export interface LessonStep {
  id: string;
  title: string;
  /** Paragraphs; `code` spans in backticks name engine identifiers students can look up. */
  text: string[];
  /** Run this sample (a path under samples/) or source before the step; omitted: keep the run. */
  program?: { sample?: string; source?: string; knobs?: Record<string, string> };
  /** Move the cursor to the first event matching this pattern after the current cursor (or, with
   *  fromStart, after the start of the run). */
  goTo?: EventMatch & { fromStart?: boolean };
  /** Panels to show for this step (the rest are hidden while the lesson runs). */
  show?: PanelId[];
}

export interface Lesson { id: string; title: string; summary: string; steps: LessonStep[] }
