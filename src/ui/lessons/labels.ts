// The lesson player's own words, per locale (the lessons' prose lives in src/lessons/<id>/*.json).
// A locale that misses a key is a type error.

import type { Locale } from '../../engine/course/lesson.ts';

const en = {
  heading: 'Lesson', pick: 'Choose a lesson', none: '— none —', language: 'Lesson language',
  step: (n: string, of: string) => `Step ${n} of ${of}`, prev: 'Previous step', next: 'Next step',
  lookAt: 'Look at:', loading: 'Playing the step…', notFound: 'This step\'s event is not in the run:',
  checked: 'Checked against the run', failed: 'This step\'s checks failed:',
};
const zhCN: typeof en = {
  heading: '课程', pick: '选择课程', none: '— 无 —', language: '课程语言',
  step: (n, of) => `第 ${n} 步，共 ${of} 步`, prev: '上一步', next: '下一步',
  lookAt: '请看：', loading: '正在播放这一步……', notFound: '运行中没有这一步的事件：',
  checked: '已与运行结果核对', failed: '这一步的核对未通过：',
};

export const LABELS: Record<Locale, typeof en> = { en, 'zh-CN': zhCN };
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };
