// 主机报告（进程或机器为何停下）的中文：信号名、向量名、寄存器、地址和代码名保持原样。
// 嵌套的原因文字（EPT 故障的原因、VMRESUME 失败的原因、死锁中各进程的状态）来自更底层的代码，
// 仍是英文。
import type { Catalog } from '../index.ts';
import type { ReportParams } from '../../../engine/report.ts';

const s = (v: string | number | undefined) => String(v ?? '');
/** Linux's names of the traps (kernel.ts trapName). */
const TRAP: Record<string, string> = { 'divide error': '除法错误', 'invalid opcode': '无效操作码', 'general protection': '一般保护', debug: '调试', trap: '陷阱' };

export const report: Catalog['report'] = {
  text: {
    'bug-kernel-mode': (p: ReportParams) => `BUG：内核态发生 ${s(p.vec)}，位于 ${s(p.rip)}`,
    'segfault': (p: ReportParams) => `${s(p.who)}：段错误，地址 ${s(p.addr)}，ip ${s(p.ip)}，sp ${s(p.sp)}，错误码 ${s(p.err)}`,
    'trap': (p: ReportParams) => `${s(p.who)}：异常 ${s(p.vec)}（${TRAP[s(p.trap)] ?? s(p.trap)}），ip ${s(p.ip)}${p.err !== undefined ? `，错误码 ${s(p.err)}` : ''}`,
    'signal-at': (p: ReportParams) => `${s(p.name)}（信号 ${s(p.signo)}），位于 ${s(p.rip)}${p.op !== undefined ? `：\`${s(p.op)}\`（第 ${s(p.line)} 行）` : ''}`,
    'regs': (p: ReportParams) => s(p.text),
    'regs-vmcs': () => 'VM 退出时的客户状态（RIP、RSP、RFLAGS 取自 VMCS 的客户状态区）：',
    'oom': (p: ReportParams) => `内存不足：杀死进程 ${s(p.pid)}（${s(p.name)}）：宿主物理内存已耗尽，全部 ${s(p.frames)} 个页框（${Number(p.frames) * 4} KiB）都已占用`,
    'unhandled-vmexit': (p: ReportParams) => `未处理的 VM 退出：原因 ${s(p.reason)}（${s(p.name)}），退出限定 ${s(p.qual)}，客户 RIP ${s(p.rip)}`
      + (p.gpa !== undefined ? `，GPA ${s(p.gpa)}，GLA ${s(p.gla)}` : ''),
    'killed-by': (p: ReportParams) => `${s(p.who)}：被 ${s(p.name)}（信号 ${s(p.sig)}）杀死${p.from ? `，发送者 pid ${s(p.from)}` : ''}`,
    'bad-signal-frame': (p: ReportParams) => `${s(p.who)}：无法为 ${s(p.name)} 建立信号帧（栈 ${s(p.stack)}${p.restorer ? '' : '，没有 SA_RESTORER'}）`,
    'bad-sigreturn-frame': (p: ReportParams) => `${s(p.who)}：rt_sigreturn 的信号帧无效，位于 ${s(p.frame)}`,
    'vmresume-failed': (p: ReportParams) => `dune：VMRESUME 失败：${s(p.why)}`,
    'ept-violation': (p: ReportParams) => `dune：GPA ${s(p.gpa)} 处的 EPT 违例（客户线性地址 ${s(p.gla)}，退出限定 ${s(p.qual)}）：${s(p.why)}`,
    'ept-no-linear': () => '退出限定的第 7 位（线性地址有效）为 0',
    'dune-exit-ept': (p: ReportParams) => `dune：退出码 ${s(p.code)}（DUNE_RET_EPT_VIOLATION），客户 RIP ${s(p.rip)}`,
    'dune-exit-interrupt': (p: ReportParams) => `dune：退出码 ${s(p.code)}（DUNE_RET_INTERRUPT）：异常向量 ${s(p.vec)} 被异常位图拦截到模块，客户 RIP ${s(p.rip)}`,
    'deadlock': (p: ReportParams) => `死锁：没有可运行的进程：${s(p.what)}`,
    'native-budget': (p: ReportParams) => `执行 ${s(p.instret)} 条指令后停止：位于 ${s(p.rip)} 的原生例程的缺页处理程序没有返回（指令预算）`,
    'triple-fault': (p: ReportParams) => `宿主（VMX root）发生三重故障：投递 #DF 时又发生 ${s(p.vec)}；处理器停机（真实机器会复位）`,
  },
};
