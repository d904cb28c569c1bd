// Random instruction sequences for the differential test against the machine's own CPU
// (differential.test.ts): one Intel-syntax program that both GNU as and the guest assembler
// accept, recording every register, the SDM-defined flags and a 64-byte scratch window after
// each instruction. The table UNDEFINED gives, per instruction, the flags the SDM leaves undefined.

/** A seeded PRNG (mulberry32), so every run generates the same sequences. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const u64 = () => (BigInt(int(2 ** 32)) << 32n) | BigInt(int(2 ** 32));
  return { next, int, pick, u64 };
}
type Rng = ReturnType<typeof rng>;

export const F = { CF: 0x1, PF: 0x4, AF: 0x10, ZF: 0x40, SF: 0x80, DF: 0x400, OF: 0x800 } as const;
const ALL6 = F.CF | F.PF | F.AF | F.ZF | F.SF | F.OF;
/** The flags the differential test compares: the six status flags and DF. */
export const COMPARED = ALL6 | F.DF;

/** Flags the SDM leaves undefined after each instruction, with its words ("Flags Affected"). A
 *  function of the operand width and the masked count where the SDM makes it depend on them. */
export const UNDEFINED: Record<string, { sdm: string; undef: (w: number, count: number) => number; writes: number; countZeroKeeps?: boolean }> = {
  logic: { sdm: 'AND/OR/XOR/TEST: "The OF and CF flags are cleared; the SF, ZF, and PF flags are set according to the result. The state of the AF flag is undefined."',
    undef: () => F.AF, writes: ALL6 },
  shift: { sdm: 'SAL/SAR/SHL/SHR: "The OF flag is affected only on 1-bit shifts; otherwise, it is undefined. ... If the count is 0, the flags are not affected. For a non-zero count, the AF flag is undefined." and "the CF flag is undefined for SHL and SHR instructions where the count is greater than or equal to the size (in bits) of the destination operand."',
    undef: (w, n) => (n === 0 ? 0 : F.AF | (n !== 1 ? F.OF : 0) | (n >= 8 * w ? F.CF : 0)), writes: ALL6, countZeroKeeps: true },
  rotate: { sdm: 'RCL/RCR/ROL/ROR: "If the masked count is 0, the flags are not affected. If the masked count is 1, then the OF flag is affected, otherwise (masked count is greater than 1) the OF flag is undefined. The CF flag is affected when the masked count is non-zero. The SF, ZF, AF, and PF flags are always unaffected."',
    undef: (_w, n) => (n > 1 ? F.OF : 0), writes: F.CF | F.OF, countZeroKeeps: true },
  mul: { sdm: 'MUL/IMUL: "The OF and CF flags are set ... The SF, ZF, AF, and PF flags are undefined."',
    undef: () => F.SF | F.ZF | F.AF | F.PF, writes: ALL6 },
  div: { sdm: 'DIV/IDIV: "The CF, OF, SF, ZF, AF, and PF flags are undefined."', undef: () => ALL6, writes: ALL6 },
  bt: { sdm: 'BT/BTS/BTR/BTC: "The CF flag contains the value of the selected bit before it is cleared. The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined."',
    undef: () => F.OF | F.SF | F.AF | F.PF, writes: F.CF | F.OF | F.SF | F.AF | F.PF },
  bscan: { sdm: 'BSF/BSR: "The ZF flag is set to 1 if the source operand is 0; otherwise, the ZF flag is cleared. The CF, OF, SF, AF, and PF flags are undefined."',
    undef: () => F.CF | F.OF | F.SF | F.AF | F.PF, writes: ALL6 },
  arith: { sdm: 'ADD/ADC/SUB/SBB/CMP/NEG/CMPS/SCAS: "The OF, SF, ZF, AF, CF, and PF flags are set according to the result." INC/DEC: "The CF flag is not affected. The OF, SF, ZF, AF, and PF flags are set according to the result."',
    undef: () => 0, writes: ALL6 },
  none: { sdm: 'MOV, MOVZX, MOVSX(D), LEA, XCHG, CMOVcc, SETcc, BSWAP, NOT, PUSH, POP, CWD/CDQ/CQO, MOVS, STOS, LODS, Jcc: "None." (flags unaffected)',
    undef: () => 0, writes: 0 },
};

/** One recorded point: the flags to mask out there (undefined at that point of the sequence). */
export interface Gen { source: string; masks: number[]; lines: string[] }

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const HIGH = ['ah', 'ch', 'dh', 'bh'];
/** Registers the sequences may change: all but rsp and r15 (the scratch window's base). */
const FREE = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
const CONDS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
/** Flags each condition reads. */
const COND_READS = [F.OF, F.OF, F.CF, F.CF, F.ZF, F.ZF, F.CF | F.ZF, F.CF | F.ZF, F.SF, F.SF, F.PF, F.PF,
  F.SF | F.OF, F.SF | F.OF, F.ZF | F.SF | F.OF, F.ZF | F.SF | F.OF];
const PTR: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

export const REGION = 0x10000000;
/** The log pointer lives at REGION; the scratch window at SCRATCH; records from LOG. */
export const SCRATCH = REGION + 0x1000, STACK_TOP = REGION + 0x8000, LOG = REGION + 0x10000;
export const RECORD_QWORDS = 16 + 1 + 8;

export function regName(r: number, w: number, high = false) {
  if (high) return HIGH[r];
  return (w === 8 ? R64 : w === 4 ? R32 : w === 2 ? R16 : R8)[r];
}

/** Generates `count` sequences of `len` instructions each. With `sparse`, the state is recorded
 *  only where a sequence starts and ends, and most instructions are the interpreter's block forms
 *  (block.ts: register ALU ops, shifts by an immediate, imul, mov, lea, push, pop, Jcc, and the
 *  ALU's read-modify-writes of memory, some with their flags read at once), so long
 *  straight runs execute as check-free blocks, flags written and overwritten within them unread. */
export function generate(seed: number, count: number, len: number, sparse = false): Gen {
  const g = rng(seed);
  const out: string[] = [];
  const masks: number[] = [];
  let label = 0;
  let undef = 0; // flags currently undefined
  const record = (mask: number) => { out.push('  call rec'); masks.push(mask); };
  const rec = (mask: number) => { if (!sparse) record(mask); };
  /** Emit one instruction; `after` computes the undefined set it leaves. */
  const emit = (text: string, kind: keyof typeof UNDEFINED, w = 8, count = 0) => {
    out.push('  ' + text);
    const u = UNDEFINED[kind];
    if (!(u.countZeroKeeps && count === 0)) undef = (undef & ~u.writes) | u.undef(w, count);
    rec(undef);
  };
  /** Before an instruction that reads flags: make them defined again (cmp defines all six). */
  const defineFlags = (reads: number) => {
    if (undef & reads) emit(`cmp ${regName(g.pick(FREE), 8)}, ${regName(g.pick(FREE), 8)}`, 'arith');
  };
  const W = [1, 2, 4, 8] as const;
  const reg = (w: number, allowHigh = true): { name: string; r: number; high: boolean } => {
    if (w === 1 && allowHigh && g.int(5) === 0) { const r = g.int(4); return { name: HIGH[r], r, high: true }; }
    const r = g.pick(FREE);
    return { name: regName(r, w), r, high: false };
  };
  /** A low register usable next to ah..bh (no REX): al, cl, dl, bl or ah..bh. */
  const legacy8 = () => (g.int(2) ? HIGH[g.int(4)] : R8[g.int(4)]);
  const mem = (w: number, maxOff = 64 - w) => `${PTR[w]} ptr [r15 + ${g.int(Math.floor(maxOff / w) + 1) * w}]`;
  const imm = (w: number) => {
    const v = g.u64();
    const bits = w === 8 ? 32 : 8 * w;
    const x = BigInt.asIntN(bits, v);
    return g.int(4) === 0 ? String(BigInt.asIntN(8, v)) : x.toString();
  };
  /** Two register operands of width w (ah..bh only with legacy byte registers). */
  const rr = (w: number) => {
    if (w === 1 && g.int(4) === 0) return [legacy8(), legacy8()];
    return [reg(w, false).name, reg(w, false).name];
  };

  const kinds: (() => void)[] = [
    // add or adc sbb and sub xor cmp, every form
    () => {
      const op = g.pick(['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp']);
      const w = g.pick(W);
      if (op === 'adc' || op === 'sbb') defineFlags(F.CF);
      const kind = op === 'or' || op === 'and' || op === 'xor' ? 'logic' : 'arith';
      const f = g.int(5);
      const [a, b] = rr(w);
      const t = f === 0 ? `${a}, ${b}` : f === 1 ? `${reg(w).name}, ${imm(w)}` : f === 2 ? `${reg(w, false).name}, ${mem(w)}`
        : f === 3 ? `${mem(w)}, ${reg(w, false).name}` : `${mem(w)}, ${imm(w)}`;
      emit(`${op} ${t}`, kind, w);
    },
    () => {
      const w = g.pick(W), f = g.int(4);
      const [a, b] = rr(w);
      emit(`test ${f === 0 ? `${a}, ${b}` : f === 1 ? `${reg(w).name}, ${imm(w)}` : f === 2 ? `${mem(w)}, ${reg(w, false).name}` : `${mem(w)}, ${imm(w)}`}`, 'logic', w);
    },
    () => {
      const op = g.pick(['not', 'neg', 'inc', 'dec']), w = g.pick(W);
      emit(`${op} ${g.int(3) ? reg(w).name : mem(w)}`, op === 'not' ? 'none' : 'arith', w);
    },
    // shifts and rotates by an immediate or cl
    () => {
      const op = g.pick(['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar']), w = g.pick(W);
      const isRot = ['rol', 'ror', 'rcl', 'rcr'].includes(op);
      if (op === 'rcl' || op === 'rcr') defineFlags(F.CF);
      let n: number;
      let cnt: string;
      if (g.int(2)) { n = g.int(4) === 0 ? 1 : g.int(70); cnt = String(n); }
      else {
        n = g.int(4) === 0 ? 1 : g.int(70);
        out.push(`  mov cl, ${n}`); rec(undef);
        cnt = 'cl';
      }
      const masked = n & (w === 8 ? 63 : 31);
      const dst = g.int(3) ? (cnt === 'cl' ? reg(w, w === 1).name : reg(w).name) : mem(w);
      emit(`${op} ${dst}, ${cnt}`, isRot ? 'rotate' : 'shift', w, masked);
    },
    // one-operand mul/imul/div/idiv at every width, with the dividend prepared so no #DE
    () => {
      const op = g.pick(['mul', 'imul', 'div', 'idiv']), w = g.pick(W);
      const avoid = w === 1 ? [0] : [0, 2];
      const r = g.pick(FREE.filter((x) => !avoid.includes(x)));
      const useMem = g.int(3) === 0;
      const src = useMem ? mem(w) : regName(r, w);
      if (op === 'div' || op === 'idiv') {
        // A positive divisor 2..127 (idiv) or nonzero (div), and a dividend whose quotient fits.
        if (op === 'idiv') { emit(`and ${src}, 0x7f`, 'logic', w); emit(`or ${src}, 2`, 'logic', w); }
        else emit(`or ${src}, 1`, 'logic', w);
        if (op === 'div') emit(w === 1 ? 'movzx ax, al' : `xor edx, edx`, w === 1 ? 'none' : 'logic');
        else emit(w === 1 ? 'movsx ax, al' : w === 2 ? 'cwd' : w === 4 ? 'cdq' : 'cqo', 'none');
        emit(`${op} ${src}`, 'div', w);
      } else emit(`${op} ${src}`, 'mul', w);
    },
    // imul with two and three operands
    () => {
      const w = g.pick([2, 4, 8]), f = g.int(4);
      const d = reg(w).name;
      const s = f === 1 || f === 3 ? mem(w) : reg(w).name;
      emit(f < 2 ? `imul ${d}, ${s}` : `imul ${d}, ${s}, ${imm(w === 8 ? 4 : w)}`, 'mul', w);
    },
    // mov in every form
    () => {
      const w = g.pick(W), f = g.int(5);
      const [a, b] = rr(w);
      const t = f === 0 ? `${a}, ${b}` : f === 1 ? `${reg(w).name}, ${w === 8 && g.int(2) ? BigInt.asIntN(64, g.u64()).toString() : imm(w)}`
        : f === 2 ? `${reg(w, false).name}, ${mem(w)}` : f === 3 ? `${mem(w)}, ${reg(w, false).name}` : `${mem(w)}, ${imm(w)}`;
      emit(`mov ${t}`, 'none', w);
    },
    // movzx, movsx, movsxd
    () => {
      const op = g.pick(['movzx', 'movsx', 'movsxd']);
      if (op === 'movsxd') { emit(`movsxd ${regName(g.pick(FREE), 8)}, ${g.int(2) ? regName(g.pick(FREE), 4) : mem(4)}`, 'none'); return; }
      const sw = g.pick([1, 2]), dw = g.pick([2, 4, 8].filter((x) => x > sw));
      const src = g.int(3) === 0 ? mem(sw) : sw === 1 && dw < 8 && g.int(3) === 0 ? HIGH[g.int(4)] : regName(g.pick(FREE), sw);
      const d = HIGH.includes(src) ? regName(g.int(4), dw) : regName(g.pick(FREE), dw);
      emit(`${op} ${d}, ${src}`, 'none');
    },
    () => {
      const cc = g.int(16), w = g.pick([2, 4, 8]);
      defineFlags(COND_READS[cc]);
      emit(`cmov${CONDS[cc]} ${reg(w).name}, ${g.int(3) ? reg(w).name : mem(w)}`, 'none');
    },
    () => {
      const cc = g.int(16);
      defineFlags(COND_READS[cc]);
      emit(`set${CONDS[cc]} ${g.int(3) ? reg(1).name : mem(1)}`, 'none');
    },
    () => {
      const cc = g.int(16), l = `Lj${label++}`;
      defineFlags(COND_READS[cc]);
      // Taken or not, the one record is after the label: it shows whether the not ran.
      out.push(`  j${CONDS[cc]} ${l}`, `  not ${regName(g.pick(FREE), 8)}`, `${l}:`);
      rec(undef);
    },
    () => emit(`bswap ${regName(g.pick(FREE), g.pick([4, 8]))}`, 'none'),
    // bt, bts, btr, btc: register or immediate offset, register or memory base
    () => {
      const op = g.pick(['bt', 'bts', 'btr', 'btc']), w = g.pick([2, 4, 8]), f = g.int(4);
      if (f === 0) emit(`${op} ${reg(w).name}, ${reg(w).name}`, 'bt');
      else if (f === 1) emit(`${op} ${reg(w).name}, ${g.int(256)}`, 'bt');
      else if (f === 2) emit(`${op} ${mem(w)}, ${g.int(256)}`, 'bt');
      else {
        // A register offset reaches outside the operand (bit-base addressing): keep it in the window.
        const r = g.pick(FREE);
        emit(`and ${regName(r, w)}, 127`, 'logic', w);
        emit(`${op} ${mem(w, 32)}, ${regName(r, w)}`, 'bt');
      }
    },
    () => {
      const op = g.pick(['bsf', 'bsr']), w = g.pick([2, 4, 8]);
      const useMem = g.int(3) === 0;
      const src = useMem ? mem(w) : regName(g.pick(FREE), w);
      emit(`or ${src}, ${1 << g.int(7)}`, 'logic', w); // a zero source leaves the destination undefined
      emit(`${op} ${regName(g.pick(FREE), w)}, ${src}`, 'bscan');
    },
    () => {
      const w = g.pick(W);
      emit(`xchg ${reg(w, false).name}, ${g.int(2) ? reg(w, false).name : mem(w)}`, 'none');
    },
    () => {
      const w = g.pick([2, 4, 8]);
      emit(`lea ${regName(g.pick(FREE), w)}, [${regName(g.pick(FREE), 8)} + ${regName(g.pick(FREE), 8)}*${g.pick([1, 2, 4, 8])} + ${g.int(4096) - 2048}]`, 'none');
    },
    () => {
      const f = g.int(4);
      if (f === 0) { emit(`push ${regName(g.pick(FREE), 8)}`, 'none'); emit(`pop ${regName(g.pick(FREE), 8)}`, 'none'); }
      else if (f === 1) { emit(`push ${imm(8)}`, 'none'); emit(`pop ${regName(g.pick(FREE), 8)}`, 'none'); }
      else if (f === 2) { defineFlags(ALL6); emit('pushfq', 'none'); emit(`pop ${regName(g.pick(FREE), 8)}`, 'none'); }
      else { emit(`push ${flagsImm(g)}`, 'none'); out.push('  popfq'); undef = 0; rec(undef); }
    },
    () => emit(g.pick(['cqo', 'cdq', 'cwd']), 'none'),
    () => emit(g.pick(['cld', 'std']), 'none'),
    // string instructions, with and without rep/repe/repne, DF either way
    () => {
      const op = g.pick(['movs', 'stos', 'lods', 'cmps', 'scas']), z = g.pick(['b', 'w', 'd', 'q']);
      const cmp = op === 'cmps' || op === 'scas';
      const pre = g.int(3) === 0 ? '' : cmp ? g.pick(['repe ', 'repne ']) : 'rep ';
      // A repeated compare with rcx = 0 leaves the flags as they were: make them defined first.
      if (cmp && pre) defineFlags(ALL6);
      out.push(`  lea rsi, [r15 + ${8 * g.int(8)}]`, `  lea rdi, [r15 + ${8 * g.int(8)}]`, `  mov ecx, ${g.int(5)}`);
      rec(undef); rec(undef); rec(undef);
      // With rep and rcx = 0 nothing runs, so flags stay as they were.
      emit(`${pre}${op}${z}`, cmp ? 'arith' : 'none');
    },
  ];

  /** The block forms, on registers (and r15's window for the loads and stores). */
  const straight: (() => void)[] = [
    () => {
      const op = g.pick(['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test']), w = g.int(4) ? 8 : g.pick(W);
      if (op === 'adc' || op === 'sbb') defineFlags(F.CF);
      const kind = op === 'or' || op === 'and' || op === 'xor' || op === 'test' ? 'logic' : 'arith';
      emit(`${op} ${reg(w, false).name}, ${g.int(2) ? reg(w, false).name : imm(w)}`, kind, w);
    },
    () => { const op = g.pick(['inc', 'dec', 'neg', 'not']), w = g.int(3) ? 8 : g.pick(W); emit(`${op} ${reg(w).name}`, op === 'not' ? 'none' : 'arith', w); },
    () => {
      const op = g.pick(['shl', 'shr', 'sar']), n = g.pick([0, 1, 1, 2, 31, 32, 33, 63, 64, g.int(70)]);
      emit(`${op} ${regName(g.pick(FREE), 8)}, ${n}`, 'shift', 8, n & 63);
    },
    () => {
      const d = regName(g.pick(FREE), 8), s = regName(g.pick(FREE), 8);
      emit(g.int(2) ? `imul ${d}, ${s}` : `imul ${d}, ${s}, ${imm(4)}`, 'mul', 8);
    },
    () => {
      const f = g.int(4), w = g.int(3) ? 8 : g.pick(W);
      if (f === 0) emit(`mov ${regName(g.pick(FREE), 8)}, qword ptr [r15 + ${8 * g.int(8)}]`, 'none');
      else if (f === 1) emit(`mov qword ptr [r15 + ${8 * g.int(8)}], ${regName(g.pick(FREE), 8)}`, 'none');
      else { const [a, b] = rr(w); emit(`mov ${a}, ${f === 2 ? b : imm(w)}`, 'none'); }
    },
    () => emit(`lea ${regName(g.pick(FREE), 8)}, [${regName(g.pick(FREE), 8)} + ${regName(g.pick(FREE), 8)}*${g.pick([1, 2, 4, 8])} + ${g.int(4096) - 2048}]`, 'none'),
    () => { emit(`push ${regName(g.pick(FREE), 8)}`, 'none'); emit(`pop ${regName(g.pick(FREE), 8)}`, 'none'); },
    kinds[10], // Jcc over a not
    // Read-modify-writes of the window (and cmp/test, which only read), every width, by a register or an immediate.
    () => {
      const op = g.pick(['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test']), w = g.int(3) ? 8 : g.pick(W);
      if (op === 'adc' || op === 'sbb') defineFlags(F.CF);
      const kind = op === 'or' || op === 'and' || op === 'xor' || op === 'test' ? 'logic' : 'arith';
      emit(`${op} ${mem(w)}, ${g.int(2) ? reg(w, false).name : imm(w)}`, kind, w);
    },
    // A flag writer whose flags the next op reads (a block keeps them live): adc, setcc or cmovcc after imul, a shift or an RMW.
    () => {
      const r = regName(g.pick(FREE), 8), f = g.int(3);
      if (f === 0) emit(`imul ${r}, ${regName(g.pick(FREE), 8)}, ${imm(4)}`, 'mul', 8);
      else if (f === 1) { const n = g.pick([1, 1, 7, 32, 63]); emit(`${g.pick(['shl', 'shr', 'sar'])} ${r}, ${n}`, 'shift', 8, n); }
      else emit(`${g.pick(['add', 'sub', 'xor'])} ${mem(8)}, ${imm(8)}`, 'arith');
      const cc = g.int(16), reads = COND_READS[cc];
      if (undef & (reads | F.CF)) return; // what the writer left undefined is not read
      if (g.int(2)) emit(`adc ${regName(g.pick(FREE), 8)}, ${imm(8)}`, 'arith');
      else if (g.int(2)) emit(`set${CONDS[cc]} ${reg(1, false).name}`, 'none');
      else emit(`cmov${CONDS[cc]} ${reg(8).name}, ${reg(8).name}`, 'none');
    },
  ];

  out.push('.text', '_start:',
    `  mov eax, 9`, `  mov edi, ${REGION}`, `  mov esi, 0x800000`, `  mov edx, 3`, `  mov r10d, 0x32`, `  mov r8, -1`,
    `  xor r9d, r9d`, `  syscall`,
    `  mov rsp, ${STACK_TOP}`, `  mov rax, ${LOG}`, `  mov qword ptr [${REGION}], rax`, `  mov r15, ${SCRATCH}`);
  for (let s = 0; s < count; s++) {
    out.push(`# sequence ${s}`);
    for (let k = 0; k < 8; k++) out.push(`  mov rax, ${BigInt.asIntN(64, g.u64())}`, `  mov qword ptr [r15 + ${8 * k}], rax`);
    for (const r of FREE) out.push(`  mov ${R64[r]}, ${BigInt.asIntN(64, g.u64())}`);
    out.push(`  push ${flagsImm(g)}`, '  popfq');
    undef = 0;
    record(0);
    for (let i = 0; i < len; i++) g.pick(sparse && g.int(4) ? straight : kinds)();
    if (sparse) record(undef);
  }
  out.push('  cld', 'done:',
    `  mov rdx, qword ptr [${REGION}]`, `  mov rsi, ${LOG}`, '  sub rdx, rsi', '  mov edi, 1', '  mov eax, 1', '  syscall',
    '  mov edi, 0', '  mov eax, 60', '  syscall',
    'rec:', ...REC);
  return { source: out.join('\n') + '\n', masks, lines: out };
}

/** An immediate for push+popfq: random status flags and DF, IF set (bit 1 is always 1). */
function flagsImm(g: Rng): string {
  let v = 0x202;
  for (const f of [F.CF, F.PF, F.AF, F.ZF, F.SF, F.OF, F.DF]) if (g.int(2)) v |= f;
  return '0x' + v.toString(16);
}

/** The recorder: stores rax..r15 (rsp as it was before the call), RFLAGS and the scratch window
 *  at the log pointer, then restores every register and flag it used. */
const REC = [
  '  pushfq', '  push rax',
  `  mov rax, qword ptr [${REGION}]`,
  ...R64.map((r, i) => (i === 0 || i === 4 ? '' : `  mov qword ptr [rax + ${8 * i}], ${r}`)).filter(Boolean),
  '  mov rcx, qword ptr [rsp]', '  mov qword ptr [rax], rcx',
  '  lea rcx, [rsp + 24]', '  mov qword ptr [rax + 32], rcx',
  '  mov rcx, qword ptr [rsp + 8]', '  mov qword ptr [rax + 128], rcx',
  ...Array.from({ length: 8 }, (_, k) => [`  mov rcx, qword ptr [r15 + ${8 * k}]`, `  mov qword ptr [rax + ${136 + 8 * k}], rcx`]).flat(),
  '  mov rcx, qword ptr [rax + 8]',
  `  add rax, ${8 * RECORD_QWORDS}`, `  mov qword ptr [${REGION}], rax`,
  '  pop rax', '  popfq', '  ret',
];
