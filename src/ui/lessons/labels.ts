// The lesson player's own words, per locale (the lessons' prose lives in src/lessons/<id>/*.json).
// A locale that misses a key is a type error.

import type { Locale } from '../../engine/course/lesson.ts';
import type { ExerciseKind } from '../../engine/course/exercises/ids.ts';

const en = {
  heading: 'Lesson', pick: 'Choose a lesson', none: '— none —', language: 'Lesson language',
  step: (n: string, of: string) => `Step ${n} of ${of}`, prev: 'Previous step', next: 'Next step',
  lookAt: 'Look at:', loading: 'Playing the step…', notFound: 'This step\'s event is not in the run:',
  checked: 'Checked against the run', failed: 'This step\'s checks failed:',
  practise: 'Practise it:',
  exercises: 'Exercises', kind: 'Exercise', student: 'Your name or ID', newProblem: 'New problem', answer: 'Your answer',
  check: 'Check', right: 'Right.', wrong: 'Not quite.', showRun: 'Show the run that decides it', lookIn: 'Look in the panel:',
  export: 'Export my answers', solving: 'Running the engine…', answerWas: 'The answer:',
  kinds: {
    'walk-refs': 'How many references does this TLB miss read?', 'which-exit': 'Which exit does this instruction cause?',
    'pf-error-code': 'The #PF error code of this access', 'cr3-flush': 'Does this MOV CR3 flush?',
    'hypercall-cost': 'How many cycles does this hypercall cost, and why?', translate: 'gVA to gPA to hPA',
    'exit-set': 'Which of these instructions exit in Dune?', 'which-world': 'Which world handles this event?',
  } as Record<ExerciseKind, string>,
};
const zhCN: typeof en = {
  heading: '课程', pick: '选择课程', none: '— 无 —', language: '课程语言',
  step: (n, of) => `第 ${n} 步，共 ${of} 步`, prev: '上一步', next: '下一步',
  lookAt: '请看：', loading: '正在播放这一步……', notFound: '运行中没有这一步的事件：',
  checked: '已与运行结果核对', failed: '这一步的核对未通过：',
  practise: '练习一下：',
  exercises: '练习', kind: '练习', student: '你的姓名或学号', newProblem: '出一道题', answer: '你的答案',
  check: '核对', right: '正确。', wrong: '不太对。', showRun: '查看决定答案的运行', lookIn: '请看面板：',
  export: '导出我的答案', solving: '正在运行引擎……', answerWas: '答案：',
  kinds: {
    'walk-refs': '这次 TLB 未命中要读多少次？', 'which-exit': '这条指令会引发哪种退出？',
    'pf-error-code': '这次访问的 #PF 错误码', 'cr3-flush': '这条 MOV CR3 会刷新吗？',
    'hypercall-cost': '这次超调用要花多少周期，为什么？', translate: 'gVA 到 gPA 再到 hPA',
    'exit-set': '这些指令中哪些会在 Dune 中引发退出？', 'which-world': '这个事件由哪个世界处理？',
  },
};

export const LABELS: Record<Locale, typeof en> = { en, 'zh-CN': zhCN };
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };
