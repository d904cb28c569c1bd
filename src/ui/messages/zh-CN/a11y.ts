// 无障碍辅助的文字（a11y.ts 的中文版）：实时区域对每一步的播报。
import type { Catalog } from '../index.ts';

export const a11y: Catalog['a11y'] = {
  skipLink: '跳到模拟器',
  vmexit: (name, reason, ring) => `VM 退出：${name}，原因 ${reason}${ring === null ? '' : `，来自 ring ${ring}`}`,
  vmentry: (kind, rip) => `VM 进入（${kind === 'launch' ? 'VMLAUNCH' : 'VMRESUME'}），位于 ${rip}`,
  syscall: (name, via, ret) => `系统调用 ${name}，途径 ${via}，返回 ${ret}`,
  exception: (name, vector) => `异常 ${name}，向量 ${vector}`,
  instr: (text) => `指令 ${text}`,
  other: (what) => what,
  start: '在运行的开头',
  singleKeys: '单键快捷键',
  singleKeysHelp: '字母、空格和 + 或 − 键用于单步播放和切换视图。如果它们妨碍语音输入，可以关闭；方向键、Home、End 和各按钮仍然可用。',
};
