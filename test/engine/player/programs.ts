// Guest programs the player's tests share.

/** A system-call loop of n iterations (bench/player.ts's, which the player bench records). */
export { syscallLoop as SYSCALL_LOOP } from '../../../bench/player.ts';
