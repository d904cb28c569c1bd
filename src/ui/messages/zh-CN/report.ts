// 主机报告（进程或机器为何停下）的中文：信号名、向量名、寄存器、地址和代码名保持原样。
// 嵌套的原因（EPT 故障为何被拒绝、VM-instruction error、死锁中的各个进程）也是带参数的键，在这里一并翻译。
import type { Catalog } from '../index.ts';
import type { ReportMsg, ReportParams, ReportValue } from '../../../engine/report.ts';
import type { VmfailCheck } from '../../../engine/vtx/vmfail.ts';

const say = (m: ReportMsg): string => report.text[m.key](m.params);
const s = (v: ReportValue | undefined): string => (v === undefined ? '' : typeof v !== 'object' ? String(v)
  : Array.isArray(v) ? v.map(say).join('；') : say(v));

/** The model's checks of a VMX instruction (engine/vtx/vmfail.ts); SDM names stay English. */
const VMFAIL: Record<VmfailCheck, (arg: string) => string> = {
  'vmcall-root': () => '在 VMX root 模式下执行了 VMCALL',
  'vmwrite-unsupported': (arg) => `VMWRITE 写入不支持的 VMCS 字段 ${arg}`,
  'vmwrite-read-only': (arg) => `VMWRITE 写入只读的 VMCS 字段 ${arg}`,
  'no-current-vmcs': () => 'VM 进入时没有当前 VMCS（VMfailInvalid）',
  'launch-non-clear': () => 'VMLAUNCH 的 VMCS 不是 clear 状态',
  'resume-non-launched': () => 'VMRESUME 的 VMCS 尚未 launched',
  'eptp': (arg) => `VM 进入：EPTP ${arg} 无效（内存类型必须是 UC 或 WB，页表遍历长度为 4）`,
  'vpid-zero': () => 'VM 进入：开启了 "enable VPID"，但 VPID 为 0000H',
  'unrestricted-no-ept': () => 'VM 进入：开启了 "unrestricted guest"，却没有开启 "enable EPT"',
  'cr3-target-count': () => 'VM 进入：CR3-target count 大于 4',
  'msr-bitmap-align': () => 'VM 进入：MSR 位图地址没有按 4 KB 对齐',
  'host-cr0-cr4': () => 'VM 进入：宿主 CR0/CR4 的固定位不满足（PE、PG、PAE、VMXE）',
  'host-addr-size': () => 'VM 进入：64 位宿主上 "host address-space size" 为 0',
  'host-rip-cs': () => 'VM 进入：宿主 RIP 不是规范地址，或宿主 CS 选择子无效',
  'guest-state': () => 'VM 进入失败：客户状态无效（CR0.PE/PG、CR4.VMXE、IA-32e 模式与 EFER.LMA、RFLAGS 第 1 位、VMCS link pointer、RIP）',
  'invept-type': (arg) => `不支持 INVEPT 类型 ${arg}`,
  'invvpid-vpid-zero': () => 'INVVPID 的 VPID 为 0000H',
  'invvpid-type': (arg) => `不支持 INVVPID 类型 ${arg}`,
};
/** Linux's names of the traps (kernel.ts trapName). */
const TRAP: Record<string, string> = { 'divide error': '除法错误', 'invalid opcode': '无效操作码', 'general protection': '一般保护错误', int3: 'int3', debug: '调试', trap: '陷阱' };

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
    'vm-instr-error': (p: ReportParams) => `${VMFAIL[p.check as VmfailCheck](s(p.arg))}（VM-instruction error ${s(p.error)}）`,
    'ept-violation': (p: ReportParams) => `dune：GPA ${s(p.gpa)} 处的 EPT 违例（客户线性地址 ${s(p.gla)}，退出限定 ${s(p.qual)}）：${s(p.why)}`,
    'ept-no-linear': () => '退出限定的第 7 位（线性地址有效）为 0',
    'ept-beyond-limit': (p: ReportParams) => `GPA ${s(p.gpa)} 超出 phys_limit（三个 4 GiB 窗口之外）`,
    'ept-no-user-page': (p: ReportParams) => `ept：无法取得用户页 ${s(p.page)}${p.write ? '（用于写入）' : ''}（进程中没有这个映射）`,
    'ept-no-host-pte': (p: ReportParams) => `ept：${s(p.page)} 没有宿主 PTE`,
    'dune-exit-ept': (p: ReportParams) => `dune：退出码 ${s(p.code)}（DUNE_RET_EPT_VIOLATION），客户 RIP ${s(p.rip)}`,
    'dune-exit-interrupt': (p: ReportParams) => `dune：退出码 ${s(p.code)}（DUNE_RET_INTERRUPT）：异常向量 ${s(p.vec)} 被异常位图拦截到模块，客户 RIP ${s(p.rip)}`,
    'deadlock': (p: ReportParams) => `死锁：没有可运行的进程：${s(p.procs)}`,
    'deadlock-blocked': (p: ReportParams) => `pid ${s(p.pid)} 阻塞在 ${s(p.call)}`,
    'deadlock-stopped': (p: ReportParams) => `pid ${s(p.pid)} 已停止（${s(p.signal)}，${s(p.kind)}），等待其跟踪者`,
    'native-budget': (p: ReportParams) => `执行 ${s(p.instret)} 条指令后停止：位于 ${s(p.rip)} 的原生例程的缺页处理程序没有返回（指令预算）`,
    'triple-fault': (p: ReportParams) => `宿主（VMX root）发生三重故障：投递 #DF 时又发生 ${s(p.vec)}；处理器停机（真实机器会复位）`,
  },
};
