// 堆视图的文字（heap.ts 的中文版）：panels/heap，收集器的堆逐页显示，以及四种模式并排比较。
// 模式名（linux、dune、dune-tlb、dune-dirty）、gc_init 等代码名保持英文。
import type { Catalog } from '../index.ts';
import { fmt } from '../locale.ts';

const n = (v: number) => fmt(v);
/** counts 的键（draw.ts 的格子种类和叠加标记）的简称。 */
const COUNT_NAMES: Record<string, string> = {
  unmapped: '未映射', mapped: '已映射', clean: '未写', wp: '写保护', dirty: '脏', dbit: 'D 位', freed: '已释放',
  scan: '已扫描', write: '写入', fault: '写异常', pte: 'PTE',
};

export const heap: Catalog['heap'] = {
  title: 'GC 堆',
  help: '每个格子是光标处垃圾收集器堆中的一个 4 KiB 页：显示它的状态，以及最近一段事件（活动窗口）中它发生了什么。',
  none: '光标处没有垃圾回收堆。请运行一个调用 gc_init 的程序 (samples/gc)，并前进到 gc_init 之后。',
  reconstruction: 'dune、dune-tlb 和 dune-dirty 模式是对论文中各变体的重建（论文的 Boehm 移植没有公开）。',
  summary: (mode, top, pages, table) =>
    `模式 ${mode}：预留 ${n(pages)} 个块，其中 ${n(top)} 个在使用；各位读自${table === 'guest' ? ' libdune 的客户页表' : '宿主进程的页表'}。`,
  counters: (c) =>
    `回收 ${n(c.collections)} 次（完全回收 ${n(c.fulls)} 次）· 写异常 ${n(c.faults)} 次 · 清除 D 位 ${n(c.dbits)} 个 · 释放对象 ${n(c.freed)} 个`,
  scanAt: (p) => `收集器最近处理的是第 ${n(p)} 页。`,
  noScan: '在活动窗口内，收集器没有处理堆。',
  window: (w) => `活动窗口：最近 ${n(w)} 个事件。`,
  modePick: '模式 (stdin)',
  modeHelp: 'samples/gc 中的示例从标准输入读取收集器的模式：选择一种模式会重新记录这次运行。',
  shown: '显示的页',
  shownUsed: '使用中',
  shownAll: (pages) => `全部 ${n(pages)} 个预留页`,
  prevCollection: '上一次回收',
  nextCollection: '下一次回收',
  back: '后退一步',
  forward: '前进一步',
  play: '播放',
  pause: '暂停',
  speed: '每秒步数',
  stepSize: '每步事件数',
  at: (seq) => `事件 ${n(seq + 1)}`,
  playing: '正在播放：暂停后其他视图会跟上。',
  grid: (shown, pages) => `堆网格：显示 ${n(pages)} 页中的 ${n(shown)} 页。各页的状态见下方的列表。`,
  legendTitle: '图例（颜色、填充图案和符号）',
  states: {
    unmapped: '页表中未映射：空框',
    mapped: '已映射，未使用：半格',
    clean: '使用中，自上次回收以来未被写过：满格',
    wp: '使用中且写保护（写入会触发异常）：斜线',
    dirty: '自上次回收以来被写过（在脏页集合中，或 D 位已置位）：圆点',
    dbit: 'PTE 中 D 位已置位，尚未读取：圆环',
    freed: '被清除阶段释放：横条',
    scan: '收集器在活动窗口内处理过这里：方框',
  },
  acts: {
    write: '亮起：刚刚有一次写入（赋值器，或 gc_alloc 的清零）：白色角标',
    fault: '亮起：一次写异常记录了该页：红色“!”',
    pte: '亮起：一次普通存储改写了该页的 PTE（D 或 W）：叉号',
  },
  page: (p, va, state) => `第 ${n(p)} 页，位于 0x${va.toString(16)}：${state}`,
  ago: (what, events) => `；${what}（${n(events)} 个事件之前）`,
  counts: (c) => Object.entries(c).map(([k, v]) => `${COUNT_NAMES[k] ?? k} ${n(v)}`).join('，'),
  lanes: {
    title: '同一分配序列上的四种模式',
    help: '程序按每种模式各运行一次（由 stdin 指定模式）。每条泳道显示它在与光标处运行同一次回收开始时的堆，以及到那时为止和整个运行的计数。',
    run: '运行四种模式',
    running: '正在运行四种模式……',
    failed: (mode, why) => `${mode}：运行没有完成（${why}）。`,
    atCollection: (k) => `第 ${n(k)} 次回收开始时`,
    before: '第一次回收之前',
    total: '整个运行',
    rows: {
      pageFaults: '缺页异常 (#PF)', writeFaults: '记录的写异常', mprotect: 'mprotect 调用', flushes: 'TLB 刷新',
      invlpg: 'INVLPG 次数', walkRefs: '访存引用', cycles: '周期数（模型计算）',
    },
    measured: (c) => (c === null ? '程序没有打印周期数。' : `程序测得其主体耗时 ${n(c)} 个周期（模型计算）。`),
    gridLabel: (mode, k) => `${mode}：第 ${n(k)} 次回收时的堆`,
  },
};
