// `npm run -s bench -- engine [--json]`: guest instructions per second for an ALU loop, a memory
// loop (TLB hits), the player bench's memory loop (rmwMips) and the ALU loop with full tracing (every event written as a JSON line into
// bytes by the CLI's writer, JsonLinesBytes), against the same loop in plain JavaScript.
// Ratios, not absolute times, are what to compare across machines. Time is the process's CPU
// time (process.cpuUsage: user + system), not the wall clock, so other load on a shared machine
// counts less; the plain-JS loop runs in the same process, so nativeRatio compares like with like.
// Each figure is the best of three runs of a few million instructions: the first run with a sink
// attached makes V8 recompile the run loop (tens of ms of compiler-thread time, which the CPU
// clock counts), so short traced runs measured mostly that.

import { assembleSource, Session } from '../src/engine/session.ts';
import { JsonLinesBytes } from '../src/engine/trace/jsonbytes.ts';
import { memoryLoop } from './player.ts';

const ALU = (n: number) => `
_start:
    mov rcx, ${n}
    xor rax, rax
    mov rbx, 3
loop_top:
    add rax, rbx
    xor rax, 0x55
    sub rcx, 1
    jne loop_top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;

const MEM = (n: number) => `
.data
buf: .zero 4096
.text
_start:
    mov rcx, ${n}
    lea rsi, [buf]
    xor rax, rax
loop_top:
    mov rdx, [rsi + 8]
    add rdx, rcx
    mov [rsi + 16], rdx
    sub rcx, 1
    jne loop_top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;

/** bench/player.ts's memory loop (the one it records), untraced. */
const RMW = memoryLoop;

/** CPU seconds (user + system) since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

function guestMips(src: string, traced: boolean): { mips: number; instr: number } {
  const a = assembleSource(src, 'bench.s');
  if (!a.ok) throw new Error(a.diagnostics);
  let bytes = 0;
  const sink = traced ? new JsonLinesBytes((chunk) => { bytes += chunk.length; }) : null;
  const s = new Session(a.program, { sink });
  const t0 = process.cpuUsage();
  const st = s.run(1e9);
  sink?.flush();
  const dt = cpuSince(t0);
  if (!st || st.code !== 0) throw new Error('benchmark program did not exit cleanly');
  void bytes;
  return { mips: s.machine.instret / dt / 1e6, instr: s.machine.instret };
}

/** The same ALU loop in plain JavaScript on 64-bit values held as 32-bit halves. */
function nativeMips(n: number): number {
  const t0 = process.cpuUsage();
  let lo = 0, hi = 0, c = n;
  while (c !== 0) {
    lo = lo + 3; if (lo > 0xffffffff) { lo -= 4294967296; hi = (hi + 1) >>> 0; }
    lo = (lo ^ 0x55) >>> 0;
    c--;
  }
  const dt = cpuSince(t0);
  if (lo === 0.5 && hi === 0.5) console.log(''); // keep the loop alive
  return (4 * n) / dt / 1e6;
}

export function benchEngine(json: boolean) {
  const best = (f: () => number, k = 3) => Math.max(...Array.from({ length: k }, f));
  const alu = best(() => guestMips(ALU(20_000_000), false).mips);
  const mem = best(() => guestMips(MEM(10_000_000), false).mips);
  const rmw = best(() => guestMips(RMW(1_250_000), false).mips);
  const traced = best(() => guestMips(ALU(1_000_000), true).mips);
  const native = best(() => nativeMips(50_000_000));
  const r = { aluMips: +alu.toFixed(2), memMips: +mem.toFixed(2), tracedMips: +traced.toFixed(2), nativeRatio: +(native / alu).toFixed(1),
    nativeMops: +native.toFixed(0), rmwMips: +rmw.toFixed(2), memRatio: +(native / mem).toFixed(1), tracedRatio: +(native / traced).toFixed(1), clock: 'cpu' };
  if (json) console.log(JSON.stringify(r));
  else {
    console.log(`guest ALU loop       ${r.aluMips} M instructions/s   (goal: 120, and plain JS within 45x)`);
    console.log(`guest memory loop    ${r.memMips} M instructions/s   (goal: 70)`);
    console.log(`player memory loop   ${r.rmwMips} M instructions/s   (imul, shr, add [mem], 1: bench/player.ts's, untraced)`);
    console.log(`ALU loop, traced     ${r.tracedMips} M instructions/s   (goal: 15)`);
    console.log(`plain JS, same loop  ${native.toFixed(1)} M ops/s: ${r.nativeRatio}x the guest ALU loop, ${r.memRatio}x the memory loop, ${r.tracedRatio}x traced`);
    console.log('(per CPU second of this process, not wall-clock time)');
  }
  return r;
}
