// Bad programs, at least one for every diagnostic and hint the assembler has (messages.ts): the
// golden test (messages.test.ts) holds their English, as `check` prints it, byte for byte, and
// that every diagnostic they give has a key.

/** files: what .include reads (none: no reader); throws: a reader that throws this; runtime: assembled as the runtime. */
export interface BadProgram { src: string; files?: Record<string, string>; throws?: string; runtime?: boolean }

/** 33 files, each including the next (one more than the nesting limit). */
const chain = Object.fromEntries(Array.from({ length: 34 }, (_, i) => [`c${i}.s`, `.include "c${i + 1}.s"`]));
/** A macro that doubles 20 times: more lines than the preprocessor expands. */
const doubling = ['.macro m0\nnop\n.endm', ...Array.from({ length: 20 }, (_, i) => `.macro m${i + 1}\nm${i}\nm${i}\n.endm`), 'm20'].join('\n');

const P = (src: string, files?: Record<string, string>): BadProgram => (files ? { src, files } : { src });

export const BAD_PROGRAMS: BadProgram[] = [
  // lexer
  P('mov rax, 0x1g'), P('mov rax, 99999999999999999999999'), P("mov rax, ''"), P("mov rax, 'abcdefghi'"),
  P('.ascii "\\x"'), P('.ascii "\\q"'), P('.ascii "abc'), P("mov al, 'a"), P('mov rax, `'), P('mov rax, \u0001'),
  P('mov rax, 0b'), P('mov rax, 0x_'), P('\\'), P('mov rax, ☃'),
  // expressions
  P('x = ' + Array.from({ length: 1002 }, () => '1').join('+')), P('x = ' + '('.repeat(120) + '1' + ')'.repeat(120)),
  P('x = (1 + 2'), P('x = (1 + 2 3'), P('mov rax, sil + 1'), P('mov al, [axl]'), P('mov rax, cr0 + 1'), P('.quad "s" + 1'),
  P('x = rax'), P('x = 1 / 0'), P('x = 1 % 0'), P('mov rax, 1 +'), P('mov rax, )'), P('x = rax * 2'), P('mov rax, [rbx + 1'),
  // statements
  P('rax: nop'), P('1 nop'), P('.bytee 1'), P('.foo 1'), P('rep'), P('rep 1'), P('rep movx'), P('mvo rax, 1'), P('hello'),
  P('db 1'), P('extern puts'), P('resq 4'), P('mov rax 1'), P('rax = 1'), P('x = 1 2'), P('.section .foo'), P('.section'),
  P('.equ'), P('.equ x'), P('.equ x 1'), P('.global'), P('.global a b'), P('.byte'), P('.ascii'), P('.ascii 1'),
  P('.align 8, 2'), P('.text 1'), P('mov rax,'), P('mov rax, byte x'), P('mov rax, byte ptr x'), P('mov rax, cr9'),
  P('mov rax, rbx + 1'), P('mov rax, [fs: 8]'), P('mov rax, []'), P('mov rax, [rbx'), P('mov rax, [rbx 1]'),
  P('mov rax, [rbx] 1'), P('mov rax, [rbx * rcx]'), P('mov rax, [8 - rbx]'), P('mov rax, [ebx]'), P('mov rax, [ax + 1]'),
  P('mov rax, [rip * 2]'), P('mov rax, [rip + rip]'), P('mov rax, [rip + rbx]'), P('mov rax, [rax + rbx + rcx]'),
  P('mov rax, [rax*2 + rbx*2]'), P('mov rax, [rsp*2]'), P('mov rax, [rbx + rsp*1]'),
  // forms
  P('syscall rax'), P('mov rax'), P('add rax, 1, 2'), P('imul'), P('push cr0'), P('inc 5'), P('mov [rax], [rbx]'),
  P('mov 1, rax'), P('mov rax, ebx'), P('rep add rax, 1'), P('rep cmpsb'), P('repne movsb'), P('add cr0, rax'),
  P('setl ax'), P('bswap ax'), P('lea 5, [rax]'), P('int rax'), P('jne rax'), P('loop [rax]'), P('ret rax'),
  P('jmp eax'), P('call dword ptr [rax]'), P('pop 5'), P('push eax'), P('push dword ptr [rax]'), P('invlpg rax'),
  P('lidt 5'), P('ltr al'), P('ltr [rax]'), P('lea rax, 5'), P('lea rax, rbx'), P('movzx eax, [rsi]'), P('movsxd rax, ebx + 1'),
  P('movzx eax, ebx'), P('movzx ax, ax'), P('movsxd rax, bx'), P('movsx rax, 5'), P('xchg [rax], 5'), P('xchg 5, rax'),
  P('xchg rax, ebx'), P('test [rax], [rbx]'), P('test 5, rax'), P('imul rax, 5, rbx'), P('imul rax, rbx, rcx'), P('imul 5'),
  P('imul rax, ebx'), P('bsf rax, 5'), P('bsf rax, ebx'), P('bt 5, rax'), P('bt rax, [rbx]'), P('bt rax, ebx'), P('bt al, 1'),
  P('add rax, byte ptr [rbx]'), P('add byte ptr [rbx], rax'), P('add eax, rbx'), P('not 5'), P('shl rax, rbx'), P('shl 1, 2'),
  P('mov cr0, eax'), P('mov cr0, cr3'), P('mov cr0, [rax]'), P('cmovge rax, 5'), P('cmovge al, bl'), P('cmove rax, ebx'),
  P('mul 5'), P('div ax, bx'), P('cpuid 1'), P('cld 1'), P('movsb rax'),
  // encoding
  P('add rax, 0x100000000'), P('mov al, 300'), P('add ax, 0x10000'), P('push 0x100000000'), P('ret 70000'), P('int 256'),
  P('bt rax, 256'), P('shl rax, 256'), P('mov rax, [0x100000000]'), P('mov rax, [rbx + 0x100000000]'), P('mov ah, sil'),
  P('add ah, r8b'), P('mov ah, byte ptr [r8]'), P('lea rax, [rip + 0x7fffffffffff]'), P('x: loop y\n.zero 200\ny: nop'),
  P('jmp 0x7fffffff0000'), P('call 0x7fffffff0000'), P('test al, 256'), P('imul eax, ebx, 0x100000000'),
  // layout
  P('.zero x\nx: nop'), P('.zero -1'), P('.zero 0x2000000'), P('.align 3'), P('.align 0'), P('.data\nnop'), P('.bss\n.byte 1'),
  P('.byte 300'), P('.word 70000'), P('.long 0x100000000'), P('.zero 0x1000000\n.zero 0x1000000\n.zero 0x1000000\n.zero 0x1000000\n.zero 1'),
  P('mov rax, [rbx + rcx*3]'), P('mov rax, [rbx + rcx*x]\nx = 5'), P('.data\n_start: nop'), P('_start = 5'),
  // symbols
  P('SYS_write = 1'), P('puts: nop'), P('a: nop\na: nop'), P('x = 1\nx = 2'), P('mov rax, nowhere'), P('mov rax, SYS_wirte'),
  P('mov rax, Foo\nfoo = 1'), P('loop_start: nop\ndone: ret\n  jne lop_start'), P('alpha: nop\n  je zzzzzzzz'), P('call putz'),
  P('a = b\nb = a'), P('a = b + 1\nb = c\nc = a'), P('x = y'), P('jmp Loop\nloop1: nop\nLOOP: nop'),
  // preprocess
  P('.endm'), P('.macro m\nnop'), P('.macro\nnop\n.endm'), P('.macro 1\n.endm'), P('.macro mov\n.endm'),
  P('.macro m a, .b\n.endm'), P('.macro m a=\n.endm'), P('.macro m a, a\n.endm'), P('.macro m\n.endm\n.macro m\n.endm'),
  P('.include x'), P('.include "a.s" 1'), P('.include "a.s"'), P('.include "self.s"', { 'self.s': '.include "self.s"' }),
  P('.include "missing.s"', {}), P('.include "bad.s"', { 'bad.s': 'nop\nmvo rax, 1' }), P('.macro m a\nmov rax, \\a\n.endm\nm 1, 2'),
  P('.macro m a, b\nmov \\a, \\b\n.endm\nm rax'), P('.macro m\nm\n.endm\nm'), P('.macro m\nmvo rax, 1\n.endm\n  m'),
  P('.macro m x\n.zero \\x\n.endm\nm nowhere'), P('.macro m\n.endm\nm 1'),
  P('.include "deep.s"', { 'deep.s': '.include "deep2.s"', 'deep2.s': 'a: nop\na: nop' }),
  P('.macro m\nx\n.endm\n.macro n\nm\n.endm\nn'),
  P('.include "c0.s"', chain), P(doubling),
  P('mov rax, r8l'), P('mov al, r15l + 1'), { src: '.include "x.s"', throws: 'disk on fire' }, { src: 'nop\n.zero 0x80000', runtime: true },
];

/** How the golden test assembles one. */
export const readerOf = (b: BadProgram) => (b.throws !== undefined ? () => { throw new Error(b.throws); } : b.files ? (p: string) => (Object.hasOwn(b.files!, p) ? b.files![p] : undefined) : undefined);
