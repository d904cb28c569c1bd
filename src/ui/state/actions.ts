// User commands, declared once: a name, keyboard shortcuts and what they do. The toolbar, the
// keyboard handler, the lesson player and (later) the terminal all use this list.

import type { Store } from './store.ts';
import type { StepKind } from '../engineClient.ts';
import { messages } from '../messages/index.ts';
import { LESSONS } from '../../lessons/index.ts';

/** Toolbar groups: stepping, jumping by meaning, the lesson, view settings. */
export type ActionGroup = 'step' | 'jump' | 'lesson' | 'view' | 'run';

export interface Action {
  id: string;
  group: ActionGroup;
  /** Full name with its key, the button's accessible name ("Forward to the next VM exit (X)"). */
  label: string;
  /** KeyboardEvent.key values, with an optional "Shift+" prefix. */
  keys: string[];
  perform(s: Store): Promise<void> | void;
  enabled?(s: Store): boolean;
}

const loaded = (s: Store) => s.loaded !== null;
const step = (id: string, label: string, dir: 1 | -1, kind: StepKind, keys: string[], group: ActionGroup = 'jump'): Action =>
  ({ id, group, label, keys, perform: (s) => s.step(dir, kind), enabled: loaded });

const m = messages.actions;
export const ACTIONS: Action[] = [
  { id: 'load', group: 'run', label: m.load, keys: ['Ctrl+Enter'], perform: (s) => s.load() },
  step('back-event', m.backEvent, -1, 'event', ['ArrowLeft'], 'step'),
  step('next-event', m.nextEvent, 1, 'event', ['ArrowRight'], 'step'),
  step('back-instr', m.backInstr, -1, 'instr', ['Shift+ArrowLeft'], 'step'),
  step('next-instr', m.nextInstr, 1, 'instr', ['Shift+ArrowRight'], 'step'),
  step('back-vmexit', m.backVmexit, -1, 'vmexit', ['Shift+X']),
  step('next-vmexit', m.nextVmexit, 1, 'vmexit', ['x']),
  step('back-fault', m.backFault, -1, 'fault', ['Shift+F']),
  step('next-fault', m.nextFault, 1, 'fault', ['f']),
  step('back-ring', m.backRing, -1, 'ring', ['Shift+R']),
  step('next-ring', m.nextRing, 1, 'ring', ['r']),
  step('back-syscall', m.backSyscall, -1, 'syscall', ['Shift+S']),
  step('next-syscall', m.nextSyscall, 1, 'syscall', ['s']),
  step('program', m.program, 1, 'program', ['g']),
  step('continue', m.continue, 1, 'breakpoint', ['c']),
  { id: 'play', group: 'step', label: m.play, keys: [' '], perform: (s) => (s.playing ? s.pause() : s.play()), enabled: loaded },
  { id: 'lesson-next', group: 'lesson', label: m.lessonNext, keys: ['n'], perform: (s) => lessonMove(s, 1), enabled: (s) => s.lesson !== null },
  { id: 'lesson-prev', group: 'lesson', label: m.lessonPrev, keys: ['p'], perform: (s) => lessonMove(s, -1), enabled: (s) => s.lesson !== null },
  { id: 'theme', group: 'view', label: m.theme, keys: ['t'], perform: (s) => s.setTheme(s.theme === 'dark' ? 'light' : 'dark') },
  { id: 'bigger', group: 'view', label: m.bigger, keys: ['+', '='], perform: (s) => s.setFontScale(s.fontScale + 0.125) },
  { id: 'smaller', group: 'view', label: m.smaller, keys: ['-'], perform: (s) => s.setFontScale(s.fontScale - 0.125) },
  { id: 'present', group: 'view', label: m.present, keys: ['P'], perform: (s) => s.setMode(s.mode === 'present' ? 'normal' : 'present') },
  { id: 'reset', group: 'step', label: m.reset, keys: ['Home'], perform: (s) => s.seek(-1), enabled: loaded },
  { id: 'end', group: 'step', label: m.end, keys: ['End'], perform: (s) => s.seek(s.loaded ? s.loaded.total - 1 : 0), enabled: loaded },
];

export function lessonMove(s: Store, d: number) {
  if (!s.lesson || s.busy) return;
  const n = LESSONS.find((l) => l.id === s.lesson!.id)?.steps.length ?? 0;
  const step = Math.max(0, Math.min(n - 1, s.lesson.step + d));
  if (step !== s.lesson.step) s.setLesson({ id: s.lesson.id, step });
}

/** The action a key press selects, if any. */
export function actionForKey(e: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): Action | undefined {
  const name = `${e.ctrlKey || e.metaKey ? 'Ctrl+' : ''}${e.shiftKey && e.key.length > 1 ? 'Shift+' : ''}${e.key}`;
  return ACTIONS.find((a) => a.keys.includes(name) || a.keys.includes(e.key.length === 1 ? e.key : name));
}
