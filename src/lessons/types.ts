// A lesson as the app and the checker see it: the checked data (engine/course/lesson.ts) with
// panel ids from panels.ts, plus its prose per locale (the JSON files beside it).

import type { LessonSpec, LessonStep as Step, LessonProse } from '../engine/course/lesson.ts';
import type { PanelId } from './panels.ts';

export type { PanelId, LessonProse };
export type LessonStep = Step<PanelId>;
export interface Lesson extends LessonSpec<PanelId> { prose: Record<string, LessonProse> }
