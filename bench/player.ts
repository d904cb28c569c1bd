// `npm run -s bench -- player [--json]`: time travel on a long run. Records a program of about
// 10 million instructions with the Player (checkpoints + landmarks), then seeks to random points
// and fetches event windows, reporting latencies and the memory the recording holds. The issue's
// bar: any point in under 100 ms, the tab under 500 MB.

import { Player } from '../src/engine/player/player.ts';

const N = 1_250_000; // loop iterations; 8 instructions each = 10 M instructions
const PROGRAM = `
.bss
.align 4096
buf: .zero 65536
.text
_start:
    mov rcx, ${N}
    mov rbx, 12345
    lea rsi, [buf]
top:
    imul rbx, rbx, 1103515245
    add rbx, 12345
    mov rax, rbx
    shr rax, 16
    and rax, 0xfff8
    add qword ptr [rsi + rax], 1
    dec rcx
    jne top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;

function rng(seed: number) { let x = seed; return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; }; }

export function benchPlayer(json: boolean) {
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const p = new Player();
  const t0 = performance.now();
  const r = p.load({ source: PROGRAM, budget: 20_000_000 });
  const recordMs = performance.now() - t0;
  if (!r.ok) throw new Error(r.diagnostics);
  const held = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before;
  const rand = rng(7);
  const seeks: number[] = [], windows: number[] = [];
  for (let i = 0; i < 40; i++) {
    const seq = Math.floor(rand() * p.total);
    let t = performance.now(); p.seek(seq); seeks.push(performance.now() - t);
    t = performance.now(); p.events(seq, seq + 60); windows.push(performance.now() - t);
  }
  const stat = (xs: number[]) => ({ avg: +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1), max: +Math.max(...xs).toFixed(1) });
  const res = { instructions: 8 * N, events: p.total, recordSeconds: +(recordMs / 1000).toFixed(1), heldMB: Math.round(held / 2 ** 20),
    seekMs: stat(seeks), windowMs: stat(windows) };
  if (json) console.log(JSON.stringify(res));
  else {
    console.log(`recorded ${res.instructions.toLocaleString()} instructions (${res.events.toLocaleString()} events) in ${res.recordSeconds} s`);
    console.log(`memory held by the recording: ${res.heldMB} MB (bar: the tab under 500 MB)`);
    console.log(`seek to a random point: avg ${res.seekMs.avg} ms, max ${res.seekMs.max} ms (bar: 100 ms)`);
    console.log(`60-event window: avg ${res.windowMs.avg} ms, max ${res.windowMs.max} ms`);
  }
  return res;
}
