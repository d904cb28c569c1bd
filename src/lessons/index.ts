// The lessons the player offers, in order.

import { syscallHypercall } from './syscall-hypercall.ts';
import { pageWalk } from './pagewalk.ts';
import type { Lesson } from './types.ts';

export const LESSONS: Lesson[] = [syscallHypercall, pageWalk];
export type { Lesson, LessonStep, PanelId } from './types.ts';
