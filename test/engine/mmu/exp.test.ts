import { it } from 'vitest';
import { makeGuest, runLinux, ofType } from '/work/main/test/engine/harness.ts';
it('exp', () => {
  const g = makeGuest(`
  .data
  x: .quad 5
  .text
  _start:
    mov rax, [x]
    mov rax, 60
    mov rdi, 0
    vmcall
  `, { knobs: { psc: false } });
  g.run();
  const w = ofType(g.events, 'walk');
  for (const e of w) console.log(e.va, e.refs.length, e.refs.map(r => r.space[0] + r.level).join(' '), e.result, e.fault);
  console.log(g.exits, g.m.status);
  const l = runLinux(`
  .data
  x: .quad 5
  .text
  _start:
    mov rax, [x]
    mov rax, 60
    mov rdi, 0
    syscall
  `, { knobs: { psc: false } });
  for (const e of ofType(l.events, 'walk')) console.log(e.va, e.cpl, e.refs.length, e.refs.map(r => r.space[0] + r.level).join(' '), e.result, e.fault);
  console.log(l.status);
});
