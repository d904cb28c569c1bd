// Messages of the lesson player and the exercises (src/ui/lessons). The lessons' prose lives in
// src/lessons/<id>/<locale>.json; the exercises' prompts, explanations and hints are keys with
// parameters made by the engine (engine/course/exercises/text.ts), rendered here.

import { EXERCISE_TEXT } from '../../engine/course/exercises/text.ts';

export const course = {
  heading: 'Lesson', pick: 'Choose a lesson', none: '— none —',
  step: (n: string, of: string) => `Step ${n} of ${of}`, prev: 'Previous step', next: 'Next step',
  lookAt: 'Look at:', loading: 'Playing the step…', notFound: 'This step\'s event is not in the run:',
  checked: 'Checked against the run', failed: 'This step\'s checks failed:',
  practise: 'Practise it:',
  exercises: 'Exercises', kind: 'Exercise', student: 'Your name or ID', newProblem: 'New problem', answer: 'Your answer',
  check: 'Check', right: 'Right.', wrong: 'Not quite.', showRun: 'Show the run that decides it', lookIn: 'Look in the panel:',
  export: 'Export my answers', solving: 'Running the engine…', answerWas: 'The answer:',
  /** An instructor's set (#exercises=kind,kind&count=N): where the student is in it. */
  setHeading: (k: number, n: number) => `Exercise set: problem ${k} of ${n}`,
  setNext: 'Next problem in the set',
  setLink: 'Copy a link to this exercise set',
  setBuilder: 'Build a set for your class',
  setCount: 'Problems per kind',
  setKinds: 'Kinds, in order',
  setCopied: 'Link copied.',
  score: (right: number, total: number) => `${right} / ${total}`,
  /** The exercises' words (engine/course/exercises/text.ts), by key. */
  text: EXERCISE_TEXT,
};
