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
type Label = keyof typeof messages.actions;
/** An action's label is read when it is shown, in the UI's language at that moment. */
const act = (id: string, group: ActionGroup, label: Label, keys: string[], perform: Action['perform'], enabled?: Action['enabled']): Action =>
  ({ id, group, get label() { return messages.actions[label]; }, keys, perform, ...(enabled ? { enabled } : {}) });
const step = (id: string, label: Label, dir: 1 | -1, kind: StepKind, keys: string[], group: ActionGroup = 'jump'): Action =>
  act(id, group, label, keys, (s) => s.step(dir, kind), loaded);

export const ACTIONS: Action[] = [
  act('load', 'run', 'load', ['Ctrl+Enter'], (s) => s.load()),
  step('back-event', 'backEvent', -1, 'event', ['ArrowLeft'], 'step'),
  step('next-event', 'nextEvent', 1, 'event', ['ArrowRight'], 'step'),
  step('back-instr', 'backInstr', -1, 'instr', ['Shift+ArrowLeft'], 'step'),
  step('next-instr', 'nextInstr', 1, 'instr', ['Shift+ArrowRight'], 'step'),
  step('back-vmexit', 'backVmexit', -1, 'vmexit', ['Shift+X']),
  step('next-vmexit', 'nextVmexit', 1, 'vmexit', ['x']),
  step('back-fault', 'backFault', -1, 'fault', ['Shift+F']),
  step('next-fault', 'nextFault', 1, 'fault', ['f']),
  step('back-ring', 'backRing', -1, 'ring', ['Shift+R']),
  step('next-ring', 'nextRing', 1, 'ring', ['r']),
  step('back-syscall', 'backSyscall', -1, 'syscall', ['Shift+S']),
  step('next-syscall', 'nextSyscall', 1, 'syscall', ['s']),
  step('program', 'program', 1, 'program', ['g']),
  step('continue', 'continue', 1, 'breakpoint', ['c']),
  act('play', 'step', 'play', [' '], (s) => (s.playing ? s.pause() : s.play()), loaded),
  act('lesson-next', 'lesson', 'lessonNext', ['n'], (s) => lessonMove(s, 1), (s) => s.lesson !== null),
  act('lesson-prev', 'lesson', 'lessonPrev', ['p'], (s) => lessonMove(s, -1), (s) => s.lesson !== null),
  act('theme', 'view', 'theme', ['t'], (s) => s.setTheme(s.theme === 'dark' ? 'light' : 'dark')),
  act('bigger', 'view', 'bigger', ['+', '='], (s) => s.setFontScale(s.fontScale + 0.125)),
  act('smaller', 'view', 'smaller', ['-'], (s) => s.setFontScale(s.fontScale - 0.125)),
  act('present', 'view', 'present', ['P'], (s) => s.setMode(s.mode === 'present' ? 'normal' : 'present')),
  act('reset', 'step', 'reset', ['Home'], (s) => s.seek(-1), loaded),
  act('end', 'step', 'end', ['End'], (s) => s.seek(s.loaded ? s.loaded.total - 1 : 0), loaded),
];

export function lessonMove(s: Store, d: number) {
  if (!s.lesson || s.busy) return;
  const n = LESSONS.find((l) => l.id === s.lesson!.id)?.steps.length ?? 0;
  const step = Math.max(0, Math.min(n - 1, s.lesson.step + d));
  if (step !== s.lesson.step) s.setLesson({ id: s.lesson.id, step });
}

/** The action a key press selects, if any. A character key is matched as typed ('P', '+') first,
 *  then, with Shift held, by its letter's Shift+ name ('Shift+X': the browser says key 'X'). */
export function actionForKey(e: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): Action | undefined {
  const char = e.key.length === 1;
  const name = `${e.ctrlKey || e.metaKey ? 'Ctrl+' : ''}${e.shiftKey && !char ? 'Shift+' : ''}${e.key}`;
  return ACTIONS.find((a) => a.keys.includes(name) || (char && a.keys.includes(e.key)))
    ?? (char && e.shiftKey && !e.ctrlKey && !e.metaKey ? ACTIONS.find((a) => a.keys.includes(`Shift+${e.key.toUpperCase()}`)) : undefined);
}
