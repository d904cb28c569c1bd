// 汇编器诊断的文字（asm.ts 的中文版）：有键的常见错误用中文说；其余的保持汇编器的英文原文。
import type { Catalog } from '../index.ts';
import type { AsmParams } from '../../../engine/asm/messages.ts';

const s = (v: string | number | undefined) => String(v ?? '');
const KIND: Record<string, string> = { reg: '寄存器', cr: '控制寄存器', imm: '立即数', mem: '内存操作数' };
const operands = (counts: string) => counts.split(',').map(Number).map((n) => (n === 0 ? '不带操作数' : `${n} 个操作数`)).join('或');

export const asm: Catalog['asm'] = {
  error: '错误', hint: '提示', note: '注',
  included: '从这里被包含',
  macroUsed: (name) => `在这里使用的宏 '${name}' 中`,
  text: {
    'unexpected-char': (p: AsmParams) => `意外的字符 '${s(p.char)}'`,
    'unknown-instruction': (p: AsmParams) => `未知指令 '${s(p.name)}'`,
    'unknown-directive': (p: AsmParams) => `未知伪指令 '${s(p.name)}'`,
    'expected-statement': (p: AsmParams) => `这里应是标号、指令或伪指令，却是 '${s(p.found)}'`,
    'expected-comma-or-end': (p: AsmParams) => `这里应是 ',' 或语句结束，却是 '${s(p.found)}'`,
    'unexpected-token': (p: AsmParams) => `意外的 '${s(p.found)}'`,
    'register-label': (p: AsmParams) => `'${s(p.name)}' 是寄存器名，不能用作标号`,
    'expected-operand': () => '逗号后面应有一个操作数',
    'empty-memory': () => '内存操作数为空',
    'expected-expression': () => '这里应是一个表达式',
    'expected-expression-found': (p: AsmParams) => `这里应是一个表达式，却是 '${s(p.found)}'`,
    'division-by-zero': () => '除以零',
    'takes-operands': (p: AsmParams) => `${s(p.mn)} 需要${operands(s(p.counts))}`,
    'cannot-take': (p: AsmParams) => `${s(p.mn)} 在这里不能用${KIND[s(p.kind)] ?? s(p.kind)}`,
    'two-memory': (p: AsmParams) => `${s(p.mn)} 不能有两个内存操作数`,
    'immediate-destination': () => '目的操作数不能是立即数',
    'size-mismatch': (p: AsmParams) => `操作数大小不一致：${s(p.a)} 是 ${s(p.sa)} 字节，${s(p.b)} 是 ${s(p.sb)} 字节`,
    'not-supported': (p: AsmParams) => `不支持 ${s(p.mn)}`,
    'not-in-text': (p: AsmParams) => `指令必须放在 .text 中（这里是 ${s(p.section)}）`,
    'unknown-symbol': (p: AsmParams) => `未知符号 '${s(p.name)}'`,
    'duplicate-definition': (p: AsmParams) => `重复定义 '${s(p.name)}'`,
    'did-you-mean': (p: AsmParams) => `你是想写 '${s(p.name)}' 吗？` + (p.caseOnly ? '（名称区分大小写）' : ''),
    'label-colon': (p: AsmParams) => `标号需要冒号：'${s(p.name)}:'`,
    'put-text': () => '在它前面加上 .text',
  },
};
