// Linux 与 Dune 对比面板的文字（compare.ts 的中文版）：论文表 2 和表 3 的各行。
import type { Catalog } from '../index.ts';
import { fmt } from '../locale.ts';

const n = (v: number) => fmt(v, { maximumFractionDigits: v < 100 ? 1 : 0 });

export const compare: Catalog['compare'] = {
  title: 'Linux 与 Dune 对比',
  help: '运行论文表 2 和表 3 中的一行：同一个操作分别作为 Linux 进程和 Dune 进程运行，各由程序自己计时。',
  pick: '基准测试（论文中的行）',
  run: '对比',
  busy: (row) => `正在引擎的 worker 中运行 Linux 和 Dune 的 ${row} 程序……`,
  error: (msg) => `对比失败：${msg}`,
  heading: (row) => `${row}：Linux 与 Dune`,
  table: (t) => `论文表 ${t}`,

  rows: {
    getpid: { label: 'getpid', unit: '每次调用的周期数',
      why: '在 Dune 中，系统调用是一次 VMCALL：一次 VM 退出和 VM 进入（约 630 个周期）加上内核模块的分派，而不是 SYSCALL/SYSRET。' },
    page_fault: { label: '缺页异常', unit: '每次缺页的周期数',
      why: '在 Dune 中，第一次访问一页会引发 EPT 违例：一次 VM 退出和进入，内核模块先向 Linux 要这一页（走同样的内核缺页路径），再填充 EPT 表项。' },
    page_walk: { label: '页表遍历', unit: '每次 TLB 未命中的载入所花的遍历周期',
      why: '在 Dune 中，TLB 未命中要做二维遍历：客户页表的每一次引用本身都要经过 EPT 转换，最多 24 次引用，而不是 4 次。' },
    ptrace: { label: 'ptrace', unit: '每次被截获的系统调用的周期数',
      why: 'Dune 在进程自己的 ring 0（libdune 的处理函数）中截获系统调用，再用一次 VMCALL 转发；ptrace 每次调用都要停下被跟踪者，并在跟踪者之间来回切换两次。' },
    trap: { label: 'trap', unit: '每次陷入的周期数',
      why: '在 Dune 中，缺页异常直接经过进程自己的 IDT 交给它的 ring 0 处理函数，再用 IRETQ 返回；Linux 要构造信号帧、运行用户态处理函数，再经 rt_sigreturn 返回。' },
    appel1: { label: 'appel1', unit: '每轮（100 页）的周期数',
      why: 'Dune 的 ring 0 处理函数直接修改自己的页表，并用 INVLPG 刷新一个表项；Linux 每一页都需要一次 SIGSEGV 和一次 mprotect 系统调用。' },
    appel2: { label: 'appel2', unit: '每轮（100 页）的周期数',
      why: 'Dune 中的 PROTN 是 ring 0 中一连串 PTE 写入和 INVLPG；在 Linux 上，每一页都要一次 mprotect 调用，每次缺页都要一次信号交付和返回。' },
  },

  figuresCaption: (unit) => `模型计算：由模拟的程序按照已校准到论文的开销模型计时，并与论文的数字对比（${unit}）`,
  colSide: '进程',
  colMeasured: '模型计算（已校准到论文）',
  colPaper: '论文',
  colDeviation: '偏差',
  sides: { linux: 'Linux', dune: 'Dune' },
  figure: (v) => (v === null ? '无数据' : n(v)),
  deviation: (measured, paper) => {
    if (measured === null) return '—';
    const d = ((measured - paper) / paper) * 100;
    return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}%`;
  },
  printedDiffers: (side, printed) =>
    `${side} 打印的是 ${n(printed)}，即每次载入的整个计时循环；上面的数字只是页表遍历器的部分，与论文从性能计数器读出的口径一致。`,
  failed: (file, status) => `${file} 没有正常结束（${status}）。`,

  costTitle: '周期花在哪里',
  scopeLabel: '显示',
  scope: { perOp: '每次操作（计时循环）', whole: '整个运行（含启动）' },
  scopeHelp: {
    perOp: '在程序前两次 RDTSC 处读取计数器，再除以操作次数；循环本身的指令也计算在内。',
    whole: '整个运行的每一个周期：dune_init、页表与 EPT 的建立、预热、两个循环和打印。',
  },
  sameScale: '两根条形使用同一刻度。',
  categories: {
    instructions: '指令（每条 1 个周期）',
    walks: '页表遍历',
    vmexits: 'VM 退出与进入',
    kernel: '内核、内核模块和 libdune（其余部分）',
  },
  restNote: '其余部分是计数器无法分开的：内核、Dune 内核模块和 libdune，SYSCALL/SYSRET，异常交付和 IRET，以及内存操作数、DIV 和 IMUL 的额外周期。',
  colCategory: '类别',
  cell: (cycles, pct) => `${n(cycles)}（${pct}%）`,
  total: '合计',
  totalCell: (cycles) => n(cycles),
  barLabel: (side, cycles) => `${side}：${n(cycles)} 个周期`,
  segLabel: (pct) => `${pct}%`,

  exitsTitle: 'Dune 进程的 VM 退出，按原因',
  colReason: '退出原因',
  colPerOp: '每次操作',
  colWhole: '整个运行',
  exitsLine: (exits, entries) => `整个运行中共 ${n(exits)} 次 VM 退出、${n(entries)} 次 VM 进入。`,
  noExits: '没有 VM 退出。',
  count: (v) => (v > 0 && v < 0.1 ? fmt(v, { maximumSignificantDigits: 2 }) : n(v)),
};
