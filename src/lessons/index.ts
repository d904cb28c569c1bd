// The lessons, in the paper's order. Each lives in its own folder: lesson.ts (the steps, checked
// by `sim lesson --check`) and one prose file per locale (en.json, zh-CN.json) for translators.

import type { Lesson } from './types.ts';
import { syscallHypercall } from './syscall-hypercall/lesson.ts';
import syscallHypercallEn from './syscall-hypercall/en.json' with { type: 'json' };
import syscallHypercallZh from './syscall-hypercall/zh-CN.json' with { type: 'json' };
import { eptLazy } from './ept-lazy/lesson.ts';
import eptLazyEn from './ept-lazy/en.json' with { type: 'json' };
import eptLazyZh from './ept-lazy/zh-CN.json' with { type: 'json' };
import { pageWalk } from './pagewalk/lesson.ts';
import pageWalkEn from './pagewalk/en.json' with { type: 'json' };
import pageWalkZh from './pagewalk/zh-CN.json' with { type: 'json' };
import { exceptions } from './exceptions/lesson.ts';
import exceptionsEn from './exceptions/en.json' with { type: 'json' };
import exceptionsZh from './exceptions/zh-CN.json' with { type: 'json' };
import { tlbTags } from './tlb-tags/lesson.ts';
import tlbTagsEn from './tlb-tags/en.json' with { type: 'json' };
import tlbTagsZh from './tlb-tags/zh-CN.json' with { type: 'json' };
import { intercept } from './intercept/lesson.ts';
import interceptEn from './intercept/en.json' with { type: 'json' };
import interceptZh from './intercept/zh-CN.json' with { type: 'json' };
import { enter } from './enter/lesson.ts';
import enterEn from './enter/en.json' with { type: 'json' };
import enterZh from './enter/zh-CN.json' with { type: 'json' };
import { processLesson } from './process/lesson.ts';
import processEn from './process/en.json' with { type: 'json' };
import processZh from './process/zh-CN.json' with { type: 'json' };
import { costs } from './costs/lesson.ts';
import costsEn from './costs/en.json' with { type: 'json' };
import costsZh from './costs/zh-CN.json' with { type: 'json' };
import { sandbox } from './sandbox/lesson.ts';
import sandboxEn from './sandbox/en.json' with { type: 'json' };
import sandboxZh from './sandbox/zh-CN.json' with { type: 'json' };
import { sthreads } from './sthreads/lesson.ts';
import sthreadsEn from './sthreads/en.json' with { type: 'json' };
import sthreadsZh from './sthreads/zh-CN.json' with { type: 'json' };

export const LESSONS: Lesson[] = [
  { ...processLesson, prose: { en: processEn, 'zh-CN': processZh } },
  { ...enter, prose: { en: enterEn, 'zh-CN': enterZh } },
  { ...syscallHypercall, prose: { en: syscallHypercallEn, 'zh-CN': syscallHypercallZh } },
  { ...eptLazy, prose: { en: eptLazyEn, 'zh-CN': eptLazyZh } },
  { ...pageWalk, prose: { en: pageWalkEn, 'zh-CN': pageWalkZh } },
  { ...exceptions, prose: { en: exceptionsEn, 'zh-CN': exceptionsZh } },
  { ...tlbTags, prose: { en: tlbTagsEn, 'zh-CN': tlbTagsZh } },
  { ...intercept, prose: { en: interceptEn, 'zh-CN': interceptZh } },
  { ...costs, prose: { en: costsEn, 'zh-CN': costsZh } },
  // The paper's applications (section 5)
  { ...sandbox, prose: { en: sandboxEn, 'zh-CN': sandboxZh } },
  { ...sthreads, prose: { en: sthreadsEn, 'zh-CN': sthreadsZh } },
];
export type { Lesson, LessonStep, PanelId, LessonProse } from './types.ts';
export { PANEL_IDS } from './panels.ts';
