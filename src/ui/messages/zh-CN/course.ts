// 课程播放器和练习的文字（course.ts 的中文版）。练习的题目、解释和提示由引擎给出键和参数
// （engine/course/exercises/text.ts），这里用中文说出来。
import type { Catalog } from '../index.ts';
import { items, type ChoiceId, type Params } from '../../../engine/course/exercises/text.ts';

const s = (v: string | number | undefined) => String(v ?? '');
const CHOICE: Record<ChoiceId, string> = {
  cpuid: 'cpuid',
  rdtsc: 'rdtsc',
  'read-cr3': 'mov rax, cr3',
  'write-cr3': 'mov cr3, rax（写回同一个根）',
  invlpg: 'invlpg [buf]',
  vmcall: 'vmcall（rax = SYS_getpid）',
  'first-read': '第一次读取一个 EPT 还没见过的页',
  'second-read': '第二次读取同一个页',
  'pf-handler': '注册了缺页处理函数的 Dune 进程中的一次 #PF',
  'pf-linux': 'Linux 进程中的一次 #PF（一个 PROT_NONE 页）',
  'first-write': 'Dune 进程第一次写一个 EPT 还没见过的页',
  'syscall-linux': 'Linux 进程的 SYSCALL',
  'vmcall-dune': 'Dune 进程的 VMCALL',
};
const c = (id: string | number | undefined) => CHOICE[s(id) as ChoiceId] ?? s(id);
/** A choice after Chinese text: a space before it when it starts with Latin (谁来处理 Linux 进程). */
const cs = (id: string | number | undefined) => (/^[\x21-\x7e]/.test(c(id)) ? ` ${c(id)}` : c(id));

const text: Catalog['course']['text'] = {
  'walk-refs.title': () => '这次 TLB 未命中要读多少个表项？',
  'which-exit.title': () => '这条指令在 Dune 中引发哪种 VM 退出？',
  'pf-error-code.title': () => '这次访问的 #PF 错误码',
  'cr3-flush.title': () => '这条 MOV CR3 会不会刷新 TLB，刷新什么？',
  'hypercall-cost.title': () => '这次超调用要花多少周期，为什么？',
  'translate.title': () => 'gVA 到 gPA 再到 hPA',
  'exit-set.title': () => '这些指令中哪些在 Dune 中会引发 VM 退出？',
  'which-world.title': () => '这个事件由哪个世界处理？',

  'walk-refs.prompt': (p: Params) => `一个 Dune 进程先读 buf，再读 buf + ${Number(p.pages) * 4096}（往后 ${s(p.pages)} 页），设置为 psc=${s(p.psc)}、hugepages=${s(p.hugepages)}。EPT 已经有了新页之后，对 buf + ${Number(p.pages) * 4096} 的这次 TLB 未命中要读多少个表项？`,
  'walk-refs.explanation': (p: Params) => `对 ${s(p.va)} 的遍历读了 ${s(p.refs)} 个表项：客户页表 ${s(p.guest)} 个，EPT ${s(p.ept)} 个（psc=${s(p.psc)}，hugepages=${s(p.hugepages)}）。`,
  'walk-refs.hint': () => '数一数遍历网格的格子：每个客户表项都需要自己的一次 EPT 遍历，最终地址也一样；分页结构缓存和大页会去掉一些行和列。',
  'which-exit.prompt': (p: Params) => `在一个 Dune 进程中（VMX non-root，ring 0），${c(p.choice)} 会引发哪种 VM 退出？请回答退出的名称（VMCALL、CPUID、EPT_VIOLATION……）或 "none"。`,
  'which-exit.exits': (p: Params) => `它以退出原因 ${s(p.reason)} (${s(p.name)}) 退出。`,
  'which-exit.none': () => '它在客户中运行：内核模块没有要求它退出，它访问的东西在 EPT 中也都有。',
  'which-exit.hint': () => '看 VM 执行控制字段和异常位图：只有某个控制位要求时指令才会退出（VMCALL 总是退出），只有 EPT 中没有对应表项时访问才会退出。',
  'pf-error-code.prompt': (p: Params) => `在${p.world === 'linux' ? '一个 Linux 进程（ring 3）' : '一个 Dune 进程（ring 0）'}中，这一页${p.page === 'read-only' ? '以只读方式映射' : '不存在'}，程序${p.access === 'write' ? '写' : '读'}这一页。#PF 错误码是多少？`,
  'pf-error-code.explanation': (p: Params) => { const k = Number(p.code); return `错误码 ${k}：P=${k & 1}（${k & 1 ? '对存在的页的保护违例' : '页不存在'}），W=${(k >> 1) & 1}（${k & 2 ? '写' : '读'}），U=${(k >> 2) & 1}（${k & 4 ? '来自 ring 3' : '来自 ring 0'}）。`; },
  'pf-error-code.hint': () => '页存在时第 0 位置位，写访问时第 1 位置位，访问来自 ring 3 时第 2 位置位：这个程序运行在哪里？',
  'cr3-flush.prompt': (p: Params) => `一个 Dune 进程（CR4.PCIDE=1，当前 PCID 为 0）用同一个根、PCID ${s(p.pcid)}${Number(p.bit63) ? '并置位第 63 位' : ''}载入 CR3。TLB 会被刷新吗？请回答 "flush" 或 "noflush"。`,
  'cr3-flush.flush': (p: Params) => `它使 PCID ${s(p.pcid)} 的表项失效（这里有 ${s(p.entries)} 个），全局表项除外；其他 PCID 的表项保留。`,
  'cr3-flush.noflush': (p: Params) => `第 63 位已置位：PCID ${s(p.pcid)} 的表项保留，没有任何表项失效。`,
  'cr3-flush.hint': () => 'CR4.PCIDE 置位时，MOV to CR3 只使新 PCID 的表项失效；源操作数第 63 位置位时，连这些也不失效。',
  'hypercall-cost.prompt': (p: Params) => `一个 Dune 进程第二次（已预热）用 VMCALL 发出 ${s(p.syscall)}。从 VM 退出到 VM 进入结束，这一来回要多少个周期？（误差 10% 以内。）`,
  'hypercall-cost.explanation': (p: Params) => `退出花 ${s(p.exit)} 个周期，进入花 ${s(p.entry)} 个，内核模块在 VMX root 中的处理函数花 ${s(p.handler)} 个（分派、vmx_handle_syscall、${s(p.syscall)}）。`,
  'hypercall-cost.hint': () => '把切出去的世界切换、VMX root 中的处理函数和切回来的切换加起来：看 VM 退出和其后 VM 进入的周期列。',
  'translate.prompt': (p: Params) => `一个 Dune 进程用 mmap 映射 16 KiB，并写入其中偏移 ${s(p.offset)}（0x${Number(p.offset).toString(16)}）处。请给出这次写入的客户物理地址和宿主物理地址，格式为 "GPA HPA"。`,
  'translate.explanation': (p: Params) => `客户页表把 ${s(p.va)} 映射到客户物理地址 ${s(p.gpa)}（压缩布局中的 mmap 窗口）；EPT 在这次违例时被填充，把它映射到宿主物理地址 ${s(p.hpa)}。`,
  'translate.hint': () => '沿着遍历网格看：客户表项给出客户物理地址，最后一次 EPT 遍历给出宿主物理地址。',
  'exit-set.prompt': (p: Params) => `一个 Dune 进程（VMX non-root，ring 0）依次执行：${items(p).map((j) => `(${j}) ${c(p[`i${j}`])}`).join('；')}。其中哪些会引发 VM 退出？请回答它们的编号，或 "none"。`,
  'exit-set.explanation': (p: Params) => `${items(p).filter((j) => p[`e${j}`] !== undefined).map((j) => `(${j}) 以 ${s(p[`e${j}`])} 退出`).join('；')}；其余的在客户中运行。`,
  'exit-set.none': () => '它们都不退出：每一条都在客户中运行。',
  'exit-set.hint': () => '只有 VM 执行控制要求的才会退出（VMCALL 总是退出；CPUID 无条件退出），访问只有在 EPT 缺少对应页时才会退出。',
  'which-world.prompt': (p: Params) => `谁来处理${cs(p.choice)}：进程自己（客户 ring 0）、Dune 内核模块（VMX root，经过一次 VM 退出），还是宿主内核（VMX root，没有 VM 退出）？请回答 "process"、"module" 或 "kernel"。`,
  'which-world.nothing': () => '没有任何东西把控制权交出去。',
  'which-world.vmexit': (p: Params) => `一次 VM 退出 (${s(p.name)}) 把它交给 VMX root 中的 Dune 内核模块。`,
  'which-world.pf': (p: Params) => `这次 #PF 交给了${p.to === 'guest-idt' ? '进程自己的 IDT，在 VMX non-root ring 0 中' : '宿主内核'}。`,
  'which-world.syscall': () => 'SYSCALL 进入同一 VMX 模式下的 ring 0：对 Linux 进程来说就是内核。',
  'which-world.hint': () => '沿着特权图上的箭头看：除非异常位图另有规定，异常都留在 VMX non-root 中，只有 VM 退出才会到达内核模块。',

  'format.number': () => '一个数',
  'format.exit': () => '退出名称，或 none',
  'format.code': () => '一个数（十进制或 0x 十六进制）',
  'format.flush': () => 'flush 或 noflush',
  'format.cycles': () => '周期数',
  'format.addresses': () => '两个十六进制地址：GPA HPA',
  'format.numbers': () => '编号，例如 "1 3"，或 none',
  'format.world': () => 'process、module 或 kernel',
};

export const course: Catalog['course'] = {
  heading: '课程', pick: '选择课程', none: '— 无 —',
  step: (n, of) => `第 ${n} 步，共 ${of} 步`, prev: '上一步', next: '下一步',
  lookAt: '请看：', loading: '正在播放这一步……', notFound: '运行中没有这一步的事件：',
  checked: '已与运行结果核对', failed: '这一步的核对未通过：',
  practise: '练习一下：',
  exercises: '练习', kind: '题型', student: '你的姓名或学号', newProblem: '出一道题', answer: '你的答案',
  check: '核对', right: '正确。', wrong: '不太对。', showRun: '查看决定答案的运行', lookIn: '请看面板：',
  export: '导出我的答案', solving: '正在运行引擎……', answerWas: '答案：',
  setHeading: (k, n) => `练习集：第 ${k} 题，共 ${n} 题`,
  setNext: '练习集中的下一题',
  setLink: '复制这个练习集的链接',
  setBuilder: '为你的班级组一套练习',
  setCount: '每种题的数量',
  setKinds: '题型（按顺序）',
  setCopied: '链接已复制。',
  score: (right, total) => `${right} / ${total}`,
  text,
};
