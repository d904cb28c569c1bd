import { it, expect } from 'vitest';
import { runLinux, makeGuest, ofType } from '../harness.ts';
it('probe', () => {
  let t = performance.now();
  const r = runLinux(`_start: mov rax, 60
  mov rdi, 7
  syscall`);
  console.log('linux', performance.now() - t, r.status, r.k.report);
  t = performance.now();
  const g = makeGuest(`_start: mov rax, 60
  mov rdi, 9
  vmcall`);
  g.run();
  console.log('guest', performance.now() - t, g.m.status, g.exits);
  t = performance.now();
  for (let i = 0; i < 20; i++) runLinux(`_start: mov rax, 60
  mov rdi, 7
  syscall`);
  console.log('20 linux', performance.now() - t);
  t = performance.now();
  for (let i = 0; i < 20; i++) makeGuest(`_start: mov rax, 60
  mov rdi, 7
  vmcall`).run();
  console.log('20 guests', performance.now() - t);
});
