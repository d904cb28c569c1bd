// 术语表（glossary.ts 的中文版）：键是面板中打印的英文术语，names 给出中文里的写法。
import type { Catalog } from '../index.ts';

export const glossary: Catalog['glossary'] = {
  title: '术语表',
  help: '各面板使用的术语。把鼠标悬停在页面上任何带虚线的术语上（或用键盘聚焦它），即可看到这里的解释。',
  terms: {
    'VMX root': '宿主（Linux 和 Dune 内核模块）运行的模式：完全控制整台机器。',
    'VMX non-root': 'VT-x 下客户运行的模式：敏感操作会引发 VM 退出，回到 root 模式。',
    'VM exit': '从 VMX non-root 切换到 root：CPU 把客户状态保存到 VMCS，并载入宿主状态。',
    'VM entry': 'VMLAUNCH 或 VMRESUME：CPU 从 VMCS 载入客户状态，在 non-root 模式下运行客户。',
    VMCS: '虚拟机控制结构：一个 vCPU 的客户状态、宿主状态、控制字段和退出信息。',
    VMCALL: '客户调用虚拟机监控程序 (VMM) 的指令；Dune 把系统调用变成 VMCALL，即超调用（退出原因 18）。',
    EPT: '扩展页表：第二层转换，从客户物理地址到宿主物理地址，由硬件遍历。',
    EPT_VIOLATION: '一种 VM 退出（原因 48）：EPT 中没有该客户物理地址访问的表项，或权限不符。',
    'EPT tag': 'TLB 表项填充时所在的 EPT 根 (EP4TA)：不同 EPT 的表项永远不会互相匹配。',
    VPID: '虚拟处理器标识符：给 TLB 表项加标记，使 VM 进入和退出不必刷新 TLB（0 表示宿主）。',
    PCID: '进程上下文标识符：按地址空间给 TLB 表项加标记，使写 CR3 时不必把它们全部刷新。',
    TLB: '转换后备缓冲区：缓存的转换（线性页到宿主物理页帧）及其标记。',
    PSC: '分页结构缓存：缓存的上层表项，使一次遍历可以省去若干次读取（“PSC 命中”）。',
    'A/D': '访问位和脏位：页面被读或写时，硬件在页表项中把它们置位。',
    'gL4–gL1': '客户页表的各级（PML4、PDPT、PD、PT），每一级都位于一个客户物理地址。',
    'nL4–nL1': '为转换一个客户物理地址而遍历的 EPT（“嵌套”）各级。',
    GPA: '客户物理地址：客户以为的物理地址；EPT 把它映射到宿主物理地址 (HPA)。',
    HPA: '宿主物理地址：机器内存中的真实地址。',
    CPL: '当前特权级：ring 0（内核）或 ring 3（用户），两种 VMX 模式下都有。',
    'exit qualification': '某些退出时 CPU 额外保存的细节（例如 EPT 违例是哪一种访问）。',
    modelled: '由本模拟器的开销模型计算（docs/cost-model.md），已校准到论文的数字。',
    paper: 'Dune 论文报告的数字（OSDI 2012，表 2 和表 3）。',
  },
  names: {
    'VM exit': 'VM 退出', 'VM entry': 'VM 进入', 'EPT tag': 'EPT 标记', 'A/D': 'A/D（访问位/脏位）',
    'exit qualification': '退出限定 (exit qualification)', modelled: '模型计算', paper: '论文',
  },
};
