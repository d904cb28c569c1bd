// “假如”对比面板的文字（whatif.ts 的中文版）。
import type { Catalog } from '../index.ts';
import { fmt } from '../locale.ts';

export const whatif: Catalog['whatif'] = {
  title: '假如……？',
  help: '把同一个程序只改一个旋钮再运行一次，与已记录的运行对比。',
  knob: '旋钮',
  compare: (k, v) => `与 ${k}=${v} 对比`,
  running: '正在运行两者……',
  colWhat: '计数', colBase: '已记录的运行', colVariant: (k, v) => `${k}=${v}`, colDiff: '差值',
  rows: { vmexits: 'VM 退出', walks: '页表遍历', walkRefs: '遍历引用', flushes: 'TLB 刷新', cycles: '周期数（模型计算）', events: '事件' },
  same: '两条 trace 逐个事件相同（只有开销可能不同）。',
  diverge: (seq) => `两条 trace 在事件 #${fmt(seq)} 处分开。`,
  openBase: '已记录的运行在此处', openVariant: '变体在此处',
};
