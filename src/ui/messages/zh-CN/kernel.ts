// 宿主内核与 Dune 模块的记录（kernel 事件的 detail；kernel.ts 的中文版）。函数名、信号名、
// 退出原因、寄存器与 Linux 自己的代码名保持英文；参数与 trace 相同（地址为十六进制）。
import type { Catalog } from '../index.ts';
import { pfWhy } from './walk.ts';
import { report } from './report.ts';
import type { ReportMsg } from '../../../engine/report.ts';
import type { ProcState } from '../../../engine/kernel/process.ts';

/** A lower layer's reason, a report line (engine/report.ts), in the report's Chinese. */
const say = (m: ReportMsg) => report.text[m.key](m.params);

/** What faulted the page in (the trace's words): code names stay, the plain phrase is translated. */
const path = (why: string) => ({ 'page fault': '缺页异常' } as Record<string, string>)[why] ?? why;
/** Every process state has its word (a new state without one fails the type check). */
const STATE: Record<ProcState, string> = { running: '运行中', runnable: '可运行', blocked: '阻塞', stopped: '已停止', zombie: '僵尸', dead: '已结束' };
/** The exception's cause (the MMU's or the processor's words), in Chinese where known. */
export const cause = (why: string) => pfWhy(why) ?? ({ 'divide by zero': '除以零', 'not an interrupt or trap gate': '不是中断门或陷阱门', 'gate not present': '门描述符不存在',
  'gate offset not canonical': '门的偏移不是规范地址', 'gate to a less privileged segment': '门指向特权更低的段' } as Record<string, string>)[why] ?? why;

export const kernel: Catalog['kernel'] = {
  execve: (a) => `pid ${a.pid} ${a.name}：代码段 ${a.text}，入口 ${a.entry}，brk ${a.brk}`,
  noSyscall: (a) => `系统调用 ${a.nr} 未实现：-ENOSYS`,
  sleeps: (a) => `pid ${a.pid} 在 ${a.call} 中睡眠（等待 ${a.on}）`,
  zeroPage: (a) => `${path(a.why)}：零页 ${a.frame} 映射到 ${a.va}`,
  kernelOops: (a) => `内核态 ${a.vector}，位于 ${a.rip}：oops`,
  timerTick: () => '时钟中断（HZ 250）',
  oom: (a) => `pid ${a.pid}：宿主物理内存耗尽：全部 ${a.frames} 个页框（${a.frames * 4} KiB）都在使用中`,
  unhandledExit: (a) => `未处理的 VM 退出 ${a.reason}（${a.name}），exit qualification ${a.qualification}`,
  switchTo: (a) => `pid ${a.prev}（${STATE[a.state]}）-> pid ${a.next} ${a.name}`,
  sysemuSkipped: (a) => `PTRACE_SYSEMU：跳过 pid ${a.pid} 的 ${a.call}，rax ${a.rax}`,
  runEnds: (a) => `pid 1 已结束：运行结束，杀死 pid ${a.pids.join(', ')}`,
  exited: (a) => `pid ${a.pid} 退出，退出码 ${a.code}`,
  killed: (a) => `pid ${a.pid} 被 ${a.signal} 杀死`,
  fork: (a) => `pid ${a.parent} fork 出 pid ${a.child}：${a.shared} 个页以写时复制方式共享`,
  cowCopy: (a) => `pid ${a.pid}：${a.va} 处写时复制：页框 ${a.from} 复制到 ${a.to}`,
  cowLast: (a) => `pid ${a.pid}：${a.va} 处写时复制：页框 ${a.frame} 只剩这一个使用者，改为可写`,
  reaps: (a) => `pid ${a.pid} 回收 pid ${a.child}，状态 ${a.status}`,
  mmap: (a) => `${a.start}-${a.end} prot ${a.prot}（${a.populate ? 'MAP_POPULATE：立即调入' : '按需调页'}）`,
  unmapped: (a) => `${a.why}：${a.start}-${a.end} 的 ${a.pages} 个页解除映射，刷新 TLB 后释放`,
  reportLine: (a) => say(a.line),
  jobStopIgnored: (a) => `${a.signal}：未模拟作业控制的停止，忽略`,
  ptraceStop: (a) => `pid ${a.pid} 停止（${a.signal}，${a.kind}），交给跟踪者 pid ${a.tracer}`,
  ptraceRequest: (a) => `请求 ${a.request} 未模拟：-EIO`,
  externalIntr: (a) => `向量 ${a.vector}：交给宿主的处理函数，然后重新进入`,
  reenter: (a) => `pid ${a.pid} 在 ${a.rip} 重新进入 Dune 模式（信号处理之后）`,
  duneEnter: (a) => `pid ${a.pid}：VMCS ${a.vmcs}，VPID ${a.vpid ?? '关闭'}，EPTP ${a.eptp}（为空：发生 EPT violation 时填充），客户 CR3 ${a.cr3}`,
  launchFailed: (a) => `VMLAUNCH 失败：${say(a.why)}`,
  reinjected: (a) => `${a.name}（向量 ${a.vector}${a.error !== null ? `，错误码 ${a.error}` : ''}）重新注入：在${a.after === null ? ' EPT 填充' : ` ${a.after} 退出`}之后再次交付` +
    '（依据 IDT-vectoring 信息，与 KVM 的做法相同；Dune 的代码把这条路径放在 #if 0 中，所以在真实的 Dune 上客户会重新执行这条指令并再次引发异常）',
  signalPending: (a) => `pid ${a.pid}：有待处理的信号：DUNE_RET_SIGNAL，回到 Linux 交付它`,
  duneFork: (a) => `pid ${a.pid} 在 Dune 之外启动，从 ring 3 的 ${a.rip} 开始`,
  eptRefused: (a) => `拒绝：${say(a.reason)}`,
  hlt: () => 'HLT：让出 CPU，然后重新进入',
  exceptionExit: (a) => `${a.exit} 向量 ${a.vector}：DUNE_RET_INTERRUPT`,
  eptFill: (a) => `GPA ${a.gpa}（HVA ${a.hva}）-> HPA ${a.hpa}：EPT 表项 R${a.w ? 'W' : ''}X，WB${a.ad ? `，预先标记 A${a.write ? ' D' : ''}` : ''}`,
  eptCleared: (a) => `${a.why}：清除 ${a.n} 个 EPT 表项，范围 ${a.start}+${a.len}`,
  duneInit: (a) => `dune_init：页表位于 ${a.root}（${a.full ? `完整：三个 4 GiB 窗口，${a.huge ? '2 MiB' : '4 KiB'} 页` : '精确：只映射进程自己的内存区域'}），系统调用页位于 ${a.lstar}，IDT/GDT/TSS`,
  nestedSerial: (a) => `交付 ${a.during} 时发生 ${a.vector}（${cause(a.why)}）：依次处理`,
  nestedDouble: (a) => `交付 ${a.during} 时发生 ${a.vector}（${cause(a.why)}）：双重故障 (double fault)`,
  tripleFault: (a) => `VMX root 中的三重故障 (triple fault)（${cause(a.why)}）：机器关机`,
};
