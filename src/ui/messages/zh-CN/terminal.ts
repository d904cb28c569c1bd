// 终端（浏览器中的 shell）的文字（terminal.ts 的中文版）：帮助、错误和报告。
// 命令名、选项和用法行保持英文（它们是要输入的代码）；命令行工具 sim 仍然只用英文。
import type { Catalog } from '../index.ts';
import { fmt } from '../locale.ts';

const knobDocs: Record<string, string> = {
  tlb: 'on|off：TLB（off：每次访问都遍历页表）',
  psc: 'on|off：分页结构缓存及其 EPT（嵌套）对应物',
  vpid: 'on|off：VPID 标记（off：每次 VM 进入和退出都刷新 TLB）',
  'ept.ad': 'on|off：EPT 访问位/脏位标志（EPTP 第 6 位）',
  hugepages: 'on|off：在 Dune 内核模块和 libdune 能用的地方使用 2 MiB 大页',
};
const knobs = Object.entries(knobDocs).map(([k, v]) => `  ${k}=${v}`).join('\n');

export const terminal: Catalog['terminal'] = {
  knobDocs,
  title: '终端',
  screenReader: '屏幕阅读器模式',
  prompt: '$ ',
  welcome: 'Dune Lab shell。输入 help 查看命令，输入 samples 查看示例程序。',
  interrupted: '^C',

  commands: {
    help: { usage: 'help [COMMAND]', help: '列出所有命令，或解释其中一个。' },
    ls: { usage: 'ls [DIR]', help: '列出目录（默认 /home）。目录以 / 结尾；只读文件标为 (ro)。' },
    cat: { usage: 'cat FILE', help: '打印一个文件。' },
    cp: { usage: 'cp FROM TO', help: '复制文件（TO 可以是目录）。把示例复制到 /home 才能修改它。' },
    mv: { usage: 'mv FROM TO', help: '重命名或移动文件（TO 可以是目录）。' },
    rm: { usage: 'rm FILE', help: '从 /home 删除一个文件。' },
    edit: { usage: 'edit FILE', help: '在编辑器中打开 FILE。' },
    run: { usage: 'run FILE [--trace] [--set KEY=VALUE]...', help: `汇编并运行 FILE，记录这次运行，并在各视图中显示，光标位于第一个断点处，没有断点时位于运行的结尾。打印程序的输出、退出码和汇总。\n  --trace  以 JSON 行打印前 200 个事件\n  --set    一个假设旋钮：\n${knobs}` },
    check: { usage: 'check FILE', help: '只汇编 FILE，打印汇编器的错误，或 ok。' },
    step: { usage: 'step [N]', help: '前进 N 个事件（默认 1）；在页表遍历中，一次一个引用。' },
    next: { usage: 'next [N]', help: '前进到下一条指令（N 次）。' },
    continue: { usage: 'continue', help: '向前运行到下一个断点行，或到结尾。' },
    break: { usage: 'break LINE', help: '在已载入程序的某个源代码行上设置断点（各视图中也会显示）。' },
    delete: { usage: 'delete LINE', help: '删除 LINE 上的断点。' },
    info: { usage: 'info breakpoints', help: '列出断点。' },
    regs: { usage: 'regs', help: '光标处的寄存器。' },
    vmcs: { usage: 'vmcs [FIELD]', help: '当前的 VMCS（上一次退出改变的字段标 *），或其中一个字段。' },
    tlb: { usage: 'tlb', help: '光标处的 TLB 表项。' },
    ept: { usage: 'ept ADDRESS', help: '解释光标处或之前对 ADDRESS 的最后一次页表遍历：每一次引用，客户页表和 EPT。' },
    events: { usage: 'events FROM [COUNT]', help: '从 FROM 开始以 JSON 行打印 COUNT 个事件（默认 50，最多 200）。' },
    bench: { usage: 'bench paper', help: '运行论文表 2 和表 3 的每一行（Linux 和 Dune 程序），打印测得的周期数与论文的对比。' },
    samples: { usage: 'samples', help: '列出示例程序（/samples，只读）。' },
    reset: { usage: 'reset', help: '把光标移回运行的开头。' },
    clear: { usage: 'clear', help: '清屏（也可按 Ctrl-L）。' },
    history: { usage: 'history', help: '已输入的命令。' },
    x: { usage: 'x ADDRESS [N]', help: '查看光标处某个虚拟地址的 N 个字节（默认 64，最多 256）：十六进制、文本和物理地址。' },
    download: { usage: 'download FILE | --trace', help: `把 FILE 保存到你的电脑；加 --trace 则保存已载入运行的事件（JSON 行，最多 ${fmt(200000)} 个）。` },
    upload: { usage: 'upload', help: '从你的电脑选一个 .s 文件复制到 /home（不会覆盖已有文件）。' },
    quarantine: { usage: 'quarantine [restore KEY [FILE] | export KEY]', help: '列出已损坏并被隔离的存储记录；把其中一个恢复为 /home 中的文件（不会覆盖已有文件），或以 JSON 下载。' },
  },
  helpHeader: '命令（help COMMAND 查看详情）：',
  helpKeys: '演示：在页面 URL 后加 #present，或按 Shift+P。PageDown/PageUp、\n' +
    '  空格和方向键逐步播放课程；Esc 退出。\n' +
    '嵌入：iframe（800x500）指向 URL#embed&lesson=ID&step=N&panels=walk,tlb，\n' +
    '  或分享链接加 &embed&panels=...；它会链接回完整的应用。\n' +
    '按键：方向键、Home/End、Ctrl-A/E/K/U/W、上/下翻历史、Tab 补全、Ctrl-C 停止、Ctrl-L 清屏。',

  unknown: (cmd, near) => `${cmd}：未知命令${near ? `；你是想输入 '${near}' 吗？` : ''}（help 列出所有命令）`,
  usage: (cmd, msg, usage) => `${cmd}：${msg}（用法：${usage}）`,
  failed: (cmd, msg) => `${cmd}：${msg}`,
  missing: (what) => `缺少 ${what}`,
  extra: (arg) => `多余的参数 '${arg}'`,
  badOption: (opt) => `未知选项 '${opt}'`,
  badNumber: (arg) => `'${arg}' 不是数字`,
  badAddress: (arg) => `'${arg}' 不是地址（十六进制如 0x401000，或十进制）`,
  badKnob: (kv) => `未知设置 '${kv}'；已知的有：${Object.keys(knobDocs).join(', ')}`,
  badKnobValue: (k, v) => `设置 ${k} 只能是 on 或 off，不能是 '${v}'`,
  isDir: (p) => `${p} 是一个目录`,
  noFile: (p) => `${p}：没有这个文件`,
  noProgram: '没有载入程序；请先 run FILE',
  noEditor: '这里无法使用编辑器',
  xHeader: (va, space) => space === 'guest'
    ? `客户虚拟地址 ${va}：经过 Dune 进程的页表，再经过 EPT（不置 A/D 位，不填充 TLB）`
    : `虚拟地址 ${va}：经过进程的页表（不置 A/D 位，不填充 TLB）`,
  xUnmapped: '未映射',
  xTooMany: (max) => `N 必须是 1 到 ${max} 字节`,
  noTransfer: '上传和下载需要在浏览器页面中进行',
  downloaded: (name) => `正在下载 ${name}`,
  downloadedTrace: (name, n, total) => `正在下载 ${name}：${fmt(n)} 个事件` + (n < total ? `（共 ${fmt(total)} 个中的前面部分）` : ''),
  uploadCancelled: '已取消上传',
  quarantineEmpty: '没有被隔离的内容：没有存储记录损坏',
  quarantineHeader: '因损坏而被隔离的记录（恢复：quarantine restore KEY [FILE]；导出：quarantine export KEY）：',
  quarantineRestored: (key, path) => `已把 ${key} 恢复为 ${path}`,
  noQuarantine: '这个文件存储不保留隔离区',
  uploaded: (path, lines) => `已上传 ${path}（${lines} 行）`,
  benchWhich: "只有 'bench paper' 这一项",

  diagnostics: (d) => d,
  ok: 'ok',
  summary: (file, how, instructions, cycles, exits) =>
    `[sim] ${file}：${how}；${instructions} 条指令，${cycles} 个周期，vmexits ${exits}`,
  exitHow: (ok, code) => (ok ? `退出 ${code}` : code === 124 ? '预算耗尽（退出 124）' : `异常结束（状态 ${code}）`),
  traceMore: (shown, total) => `（${fmt(total)} 个事件中的 ${fmt(shown)} 个；'events FROM [COUNT]' 打印更多）`,
  where: (seq, line, rip, vmx, cpl, what) =>
    `#${fmt(seq)}${line !== null ? ` 第 ${line} 行` : ''} rip ${rip}（${vmx}，ring ${cpl}）${what ? `：${what}` : ''}`,
  atEnd: '运行结束',
  at: {
    instr: (text) => `退役 ${text}`, walk: (va, refs) => `遍历 ${va}（${refs} 次引用）`,
    vmexit: (name) => `VM 退出 ${name}`, syscall: (name, via) => `系统调用 ${name}，途径 ${via}`,
    exception: (name) => `异常 ${name}`, output: (text) => `输出 ${text}`,
  },
  runAtEnd: '光标位于运行的结尾，与各视图一致（reset 回到开头）。',
  runAtBreak: (line) => `光标位于第一个断点${line !== null ? `（第 ${line} 行）` : ''}，与各视图一致（continue 继续运行）。`,
  noBreakAhead: '前方没有断点：已运行到结尾',
  breakSet: (line) => `断点设在第 ${line} 行`,
  breakExists: (line) => `第 ${line} 行已经有断点`,
  breakDeleted: (line) => `已删除第 ${line} 行的断点`,
  noBreak: (line) => `第 ${line} 行没有断点`,
  badLine: (line, lines) => `第 ${line} 行不在程序中（1-${lines}）`,
  noBreaks: '没有断点',
  breaks: (lines) => `断点在第 ${lines.join('、')} 行`,
  noVmcs: '还没有 VMCS（在第一次 VM 进入之前）',
  noField: (f, near) => `没有 VMCS 字段 '${f}'${near ? `；你是想输入 '${near}' 吗？` : ''}`,
  tlbEmpty: 'TLB 为空',
  tlbHeader: 'VA                 size vpid pcid EPT root       HPA           flags',
  noWalk: (va, searched) => `光标之前的最近 ${searched} 个事件中没有对 ${va} 的页表遍历（TLB 命中不需要遍历）`,
  walkHead: (va, seq, n) => `对 ${va} 的遍历，位于 #${fmt(seq)}：${n} 次引用`,
  walkRef: (i, space, level, addr, value) => `  ${String(i + 1).padStart(2)}. ${space.padEnd(5)} level ${level}  read ${addr} = ${value}`,
  walkResult: (result, fault) => (fault ? `  异常：${fault}` : `  结果：宿主物理地址 ${result}`),
  benchRow: (op, linux, dune, pl, pd) =>
    `${op.padEnd(11)} linux ${linux.padStart(9)}  dune ${dune.padStart(9)}   paper ${pl} / ${pd}`,
  benchHead: '行          测得的周期数（Linux、Dune）与论文（Linux / Dune）对比',
  samplesHead: '示例（只读；cp 一个到 /home 后才能修改）：',
};
