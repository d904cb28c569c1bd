// 事件详情的文字（event.ts 的中文版）：字段名用通俗的说法，trace 的代码名保持英文。
import type { Catalog } from '../index.ts';
import { fmt } from '../locale.ts';
import { cause } from './kernel.ts';

const n = (v: number) => fmt(v);

export const event: Catalog['event'] = {
  header: (type, seq, cycles, vmx, cpl) =>
    `${type} · 事件 ${n(seq)} · 至此 ${n(cycles)} 个周期（模型计算）· VMX ${vmx}，ring ${cpl}`,
  headerRest: (what, seq, cycles, vmx, cpl) =>
    `${what} · #${n(seq)} · 至此 ${n(cycles)} 个周期（模型计算）· VMX ${vmx} · ring ${cpl}`,
  types: {
    instr: '指令退役', walk: '页表遍历', tlb: 'TLB', ad: '设置访问位/脏位', exception: '异常',
    ring: 'ring 切换', vmexit: 'VM 退出', vmentry: 'VM 进入', vmfail: 'VMX 指令失败', syscall: '系统调用',
    signal: '信号', libdune: 'libdune 调用', kernel: '内核', output: '输出', exit: '进程退出', summary: '运行汇总',
  },
  f: {
    address: '地址', instruction: '指令', va: '线性地址', refs: '读取的表项', result: '宿主物理地址结果',
    fault: '终止原因', psc: '分页结构缓存命中', op: '操作', vpid: 'VPID', pcid: 'PCID', page: '页',
    scope: '范围', ept: 'EPT 根', entries: '移除的表项', table: '表', bit: '位', entry: '表项地址',
    vector: '向量', errorCode: '错误码', cr2: '出错地址 (CR2)', to: '交付给', from: '来自', via: '途径',
    reason: '退出原因', qualification: '退出限定 (exit qualification)', gpa: '客户物理地址', gla: '客户线性地址',
    instrLen: '指令长度', intrInfo: '中断信息', fromCpl: '来自', kind: '指令', instr: '指令', error: '错误号',
    message: '消息', call: '调用', args: '参数', ret: '返回值', signo: '信号', handler: '处理函数',
    toRing: '到', fn: '函数', detail: '详情', fd: '文件', text: '文本', how: '方式', code: '退出码', instructions: '指令数',
    cycles: '周期数（模型计算）', vmexits: 'VM 退出', walks: '页表遍历', walkRefs: '遍历引用', tlbMisses: 'TLB 未命中',
    faults: '异常', rip: 'RIP 位置', name: '名称', nr: '编号', access: '访问', why: '原因',
  },
  ring: (r) => `ring ${r}`,
  why: (why) => cause(why),
  bytes: (k) => `${k} 字节`,
  instrLenUndefined: (exit) => `此类退出未定义（${exit}）：SDM 只为由指令引起的退出给出长度`,
  none: '无',
  entering: '（正在进入；稍后返回）',
  noResult: '无（遍历中止）',
  refs: (k) => `${k} 次，最多 24 次（原生为 4 次）`,
  tlbOps: { fill: '填充（缓存一次遍历的转换）', flush: '刷新', invlpg: 'INVLPG（一页）', invpcid: 'INVPCID', invvpid: 'INVVPID', invept: 'INVEPT', noflush: '不刷新（仅提示）' },
  tables: { guest: '客户页表', ept: 'EPT', host: '宿主页表' },
  bits: { A: 'A（访问位）', D: 'D（脏位）' },
  deliveredTo: { 'guest-idt': '客户自己的 IDT（无 VM 退出）', vmexit: 'VM 退出（异常位图）', 'host-kernel': '宿主内核' },
  via: { syscall: 'syscall（SYSCALL 指令）', vmcall: 'vmcall（Dune 进程的 VMCALL：一次超调用）', ptrace: 'ptrace（为跟踪者停下）',
    sandbox: 'sandbox（ring 0 中的沙箱截获的 ring 3 调用）', sysret: 'sysret', exception: 'exception（异常）', interrupt: 'interrupt（中断）', iret: 'iret' },
  fds: { 1: '标准输出', 2: '标准错误' },
  budget: '在指令预算处停止',
};
