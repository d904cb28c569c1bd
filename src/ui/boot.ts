// The page's first script (main.tsx imports it before anything else): the engine's worker starts
// while the rest of the page is still being evaluated, and a lesson link's program starts
// recording before the page renders (the lesson player's load then takes that recording over).

import { workerEngine } from './engineClient.ts';
import { linkPlan } from './lessons/plan.ts';

export const engine = workerEngine();

const plan = typeof location !== 'undefined' ? linkPlan(location.hash) : null;
if (plan) engine.lessonPlan(plan, true).catch(() => {});
