// The sandbox view's data (issue 11, section 4): every system call a ring-3 program made in a
// Dune process (the sandbox's box, or an sthread), with its path and the verdict. A call starts
// at the SYSCALL from ring 3 (a `ring` event, 3 -> 0, no VM exit: the trap goes to libdune's
// ring-0 handler) and ends at the SYSRET back to ring 3; in between, a forwarded call has
// dune_passthrough_syscall, its VMCALL exit and the host kernel's system call. The call's number
// and arguments are read from the registers at the trap, its result at the return: one replay
// that builds only these event types (no full trace). No bundler imports. World: above the engine.

import type { Player } from '../../engine/player/player.ts';
import type { Session } from '../../engine/session.ts';
import type { EventType } from '../../engine/trace/events.ts';
import { SYSCALL_NAMES } from '../../engine/arch/linux.ts';
import { STHREAD_LIMITS } from '../../engine/libdune/asm-sthread.ts';

/** forwarded: allowed and sent to the host kernel by VMCALL; denied: -EPERM (the policy);
 *  efault: -EFAULT (a pointer outside the program's regions); blocked: -EINVAL (an sthread's
 *  policy, Wedge); handled: answered in ring 0 without the host (an sthread's exit or switch);
 *  fault: a ring-3 page fault, which ends the program (no return). */
export type Verdict = 'forwarded' | 'denied' | 'efault' | 'blocked' | 'handled' | 'fault';

/** One step of a call's path, at the event `seq`. */
export type PathStep =
  | { at: 'trap'; seq: number }
  | { at: 'vmcall'; seq: number; why: 'forward' | 'log' }
  | { at: 'kernel'; seq: number; name: string }
  | { at: 'return'; seq: number }
  /** The call ended the ring-3 program (exit, sthread_exit): dune_ret_from_user, no return. */
  | { at: 'end'; seq: number }
  | { at: 'fault'; seq: number; cr2: string };

export interface SandboxCall {
  /** The trap (or the fault) and the return to ring 3 (null: it never returned). */
  seq: number; end: number | null;
  /** The call's number and Linux name (sthread_exit / sthread_switch: Wedge's own calls). */
  nr: number; name: string; args: string[]; ret: string | null; verdict: Verdict;
  /** VM exits between the trap and the return: the call's own (forward) and the monitor's log
   *  lines (dune_printf writes through a VMCALL too). */
  exits: { forward: number; log: number };
  path: PathStep[];
}

const KINDS: ReadonlySet<EventType> = new Set(['ring', 'vmexit', 'libdune', 'syscall', 'exception']);
const EPERM = -1, EFAULT = -14, EINVAL = -22;
const nameOf = (nr: number) => nr === STHREAD_LIMITS.exitCall ? 'sthread_exit' : nr === STHREAD_LIMITS.switchCall ? 'sthread_switch' : SYSCALL_NAMES[nr] ?? `syscall ${nr}`;
const cache = new WeakMap<Session, SandboxCall[]>();

const u64 = (s: Session, i: number) => BigInt(s.machine.cpu.hi[i]) << 32n | BigInt(s.machine.cpu.lo[i]);
const hex = (v: bigint) => '0x' + v.toString(16);

/** The ring-3 system calls of the loaded run (computed once per recording). */
export function sandboxCalls(player: Player): SandboxCall[] {
  const s = player.live;
  const known = cache.get(s);
  if (known) return known;
  const out: SandboxCall[] = [];
  cache.set(s, out);
  // Only a Dune process has ring-3 calls that trap into the VM, and only after its first VM entry
  // (the end of dune_init: before it every ring event is the host process's, in VMX root): the
  // replay runs from that entry to the run's last ring transition (landmarks), so a Linux run or
  // libdune's set-up (dune_init's page tables, one long native op) costs nothing. Starting at
  // the first ring event instead replayed the set-up on every load: 60-930 ms for getpid-dune.s
  // in node at load 16, against 1-6 ms from the first entry.
  const first = player.landmarks.next(['vmentry'], -1), last = player.landmarks.atOrBefore(['ring'], player.total);
  if (player.landmarks.count('libdune') === 0 || !first || !last) return out;
  // (A coarse index may hold only every kth ring event: then replay to the end.)
  const end = player.landmarks.exact('ring') ? last.seq : player.total;
  let open: SandboxCall | null = null;
  let passthrough = false;
  player.scan(first.seq, (e) => {
    if (e.seq > end) return true;
    if (e.vmx !== 'non-root' && e.type !== 'vmexit' && e.type !== 'syscall') return false;
    if (e.type === 'ring' && e.from === 3 && e.to === 0 && e.via === 'syscall') {
      const nr = Number(u64(s, 0));
      open = { seq: e.seq, end: null, nr, name: nameOf(nr), args: [7, 6, 2].map((i) => hex(u64(s, i))), ret: null, verdict: 'handled', exits: { forward: 0, log: 0 }, path: [{ at: 'trap', seq: e.seq }] };
      passthrough = false;
      out.push(open);
      return false;
    }
    if (e.type === 'exception' && e.cpl === 3 && e.name === '#PF') {
      // A #PF the EPT fill re-injects is reported again at the VM entry: one fault.
      const last = out.at(-1);
      if (last?.verdict === 'fault' && last.path[0].at === 'fault' && last.path[0].cr2 === (e.cr2 ?? '')) return false;
      out.push({ seq: e.seq, end: null, nr: -1, name: '#PF', args: [], ret: null, verdict: 'fault', exits: { forward: 0, log: 0 }, path: [{ at: 'fault', seq: e.seq, cr2: e.cr2 ?? '' }] });
      open = null;
      return false;
    }
    const c = open as SandboxCall | null;
    if (!c) return false;
    if (e.type === 'libdune' && e.fn === 'dune_passthrough_syscall') passthrough = e.ret === null;
    else if (e.type === 'libdune' && e.fn === 'dune_ret_from_user' && e.ret === null) {
      c.path.push({ at: 'end', seq: e.seq });
      open = null;
    }
    else if (e.type === 'vmexit' && e.name === 'VMCALL') {
      const why = passthrough ? 'forward' : 'log';
      c.exits[why]++;
      c.path.push({ at: 'vmcall', seq: e.seq, why });
    } else if (e.type === 'syscall' && e.via === 'vmcall' && passthrough) c.path.push({ at: 'kernel', seq: e.seq, name: e.name });
    else if (e.type === 'ring' && e.from === 0 && e.to === 3 && e.via === 'sysret') {
      const ret = BigInt.asIntN(64, u64(s, 0));
      c.end = e.seq; c.ret = ret < 0n ? String(ret) : hex(ret);
      c.verdict = c.exits.forward > 0 ? 'forwarded' : ret === BigInt(EPERM) ? 'denied' : ret === BigInt(EFAULT) ? 'efault' : ret === BigInt(EINVAL) ? 'blocked' : 'handled';
      c.path.push({ at: 'return', seq: e.seq });
      open = null;
    }
    return false;
  }, KINDS);
  return out;
}
