// 地址转换面板的文字（walk.ts 的中文版）：遍历网格、表项字段、VA 拆分、转换链、TLB。
import type { Catalog } from '../index.ts';

/** A space after a Latin word before Chinese (EPT 第 2 级), none after Chinese (客户第 2 级). */
const sp = (s: string) => (/[\x21-\x7e]$/.test(s) ? `${s} ` : s);

const PF_WHY: Record<string, string> = {
  'user access to a supervisor page': '用户态访问管理者页', 'write to a read-only page': '写只读页',
  'instruction fetch from a no-execute page': '从禁止执行的页取指令',
};
/** Why a #PF was raised (the MMU's words, engine/mmu/mmu.ts), in Chinese; null if unknown. */
export function pfWhy(why: string): string | null {
  const m = /^(not present|reserved bit set) at level (\d)$/.exec(why);
  if (m) return `第 ${m[2]} 级${m[1] === 'not present' ? '表项不存在' : '表项设置了保留位'}`;
  return PF_WHY[why] ?? null;
}

export const walk: Catalog['walk'] = {
  gridLabel: '页表遍历',
  gridLabel2d: (n) => `二维页表遍历：${n} 次引用`,
  gridLabel1d: (n) => `原生页表遍历：${n} 次引用`,
  refOf: (k, n) => (k >= n ? `已读完全部 ${n} 次引用` : `第 ${k} 次引用，共 ${n} 次`),
  gridHelp: '方向键在各次引用之间移动；选中的表项在下方解码。',
  rows2d: ['gL4', 'gL3', 'gL2', 'gL1', '数据 GPA'],
  cols2d: ['nL4', 'nL3', 'nL2', 'nL1', '客户表项'],
  rowTitles2d: [
    '客户 PML4 表项', '客户 PDPT 表项', '客户 PD 表项', '客户 PT 表项', '数据的客户物理地址',
  ],
  rows1d: ['宿主'],
  cols1d: ['L4', 'L3', 'L2', 'L1', '数据'],
  dataCell: '数据',
  spaceGuest: '客户',
  spaceEpt: 'EPT',
  spaceHost: '宿主',
  glyph: { guest: 'G', ept: 'E', host: 'H' },
  skippedPsc: '跳过（PSC 命中）',
  skippedLarge: '未使用（大页）',
  unreached: '未到达',
  stoppedHere: '遍历在此中止',
  pending: '…',
  noAccess: '无访问',
  cellLabel: (n, total, space, level, addr, value) =>
    `第 ${n} 次引用，共 ${total} 次：${sp(space)}第 ${level} 级表项，位于 ${addr}，值 ${value}`,
  cellLabelDim: (n, total, space, level) =>
    `第 ${n} 次引用，共 ${total} 次：${sp(space)}第 ${level} 级表项（尚未读取）`,
  dataLabel: (hpa) => `在宿主物理地址 ${hpa} 访问数据`,
  dataFault: (fault) => `没有数据访问：${fault}`,
  pscHits: '分页结构缓存命中：',
  noPsc: '没有分页结构缓存命中',
  faultCaption: '遍历中止：',
  faultText: (fault, cause) => {
    if (!cause) return fault;
    if (cause.kind === 'ept-misconfig') return 'EPT 配置错误 (EPT misconfiguration)';
    if (cause.kind === 'ept-violation') return cause.space === 'guest' ? 'EPT 违例（客户 A/D 位更新）' : `EPT 违例，在 EPT 第 ${cause.level} 级`;
    const why = pfWhy(fault.replace(/^#PF /, ''));
    return why === null ? fault : `#PF：${why}`;
  },
  legendGuest: '客户页表项',
  legendEpt: 'EPT 表项',
  legendHost: '宿主页表项',
  legendSkipped: '跳过',
  legendFault: '异常',
  noWalk: '此处没有页表遍历。',

  entryHeading: (space, level) => `${sp(space)}第 ${level} 级表项`,
  entryNone: '选择一次引用，查看它的表项。',
  colField: '字段',
  colBits: '位',
  colValue: '值',
  colMeaning: '含义',
  leaf: '叶子',
  nonLeaf: '指向下一级表',
  notPresent: '不存在',
  addressField: '地址',
  memTypeField: '内存类型',
  xdField: 'XD',
  patField: 'PAT',
  mtReserved: '保留',
  pteMeaning: {
    P: '存在 (present)', RW: '读/写 (R/W)', US: '用户/管理者 (U/S)', PWT: '页级写直通',
    PCD: '页级禁用缓存', A: '访问位', D: '脏位', PS: '页大小（1 = 大页）',
    G: '全局',
  },
  eptMeaning: {
    R: '读', W: '写', X: '执行', IPAT: '忽略 PAT 内存类型', LARGE: '大页（第 7 位）',
    A: '访问位', D: '脏位',
  },
  patMeaning: '页属性表索引位',
  xdMeaning: '禁止执行',
  addressMeaning: (nextTable) => (nextTable ? '下一级表的物理地址' : '页的物理地址'),
  memTypeMeaning: 'EPT 内存类型',

  vaSplitLabel: '虚拟地址拆分为各级索引字段',
  vaFields: ['PML4', 'PDPT', 'PD', 'PT', '偏移'],
  vaFieldLabel: (name, bits, value) => `${name} 索引，第 ${bits} 位：${value}`,
  offsetLabel: (bits, value) => `偏移，第 ${bits} 位：${value}`,
  chainLabel: '转换链',
  gva: 'gVA',
  gpa: 'gPA',
  hpa: 'hPA',
  va: 'VA',
  pa: 'PA',
  chainFault: '异常',
  chainUnknown: '未知',

  tlbLabel: 'TLB 表项',
  tlbEmpty: 'TLB 为空。',
  tlbCols: { vpid: 'VPID', pcid: 'PCID', ept: 'EPT 标记', va: 'VA 页', hpa: 'HPA', size: '大小', flags: '标志' },
  tlbNoEpt: '—',
  tlbFlags: { rw: 'W', us: 'U', nx: 'NX', dirty: 'D', global: 'G' },
  tlbFlagTitles: { rw: '可写', us: '用户', nx: '禁止执行', dirty: '脏', global: '全局' },
  tlbKind: { hit: 'TLB 命中', fill: 'TLB 填充', flush: 'TLB 刷新' },
  tlbFlushed: (va) => `已刷新：${va}（不再在 TLB 中）`,
  tlbCount: (n) => `${n} 个表项`,
};
