// Serves engine jobs one at a time in time slices, yielding to the event loop between them, so a
// stop request (Ctrl-C in the terminal, the page's stop button) is seen at once: the job in
// flight ends within a slice and answers with what it has, and the next request is served.

import type { Job } from './core.ts';
import type { Request } from './protocol.ts';

/** Longest a slice runs before the runner lets messages in (ms). */
export const SLICE_MS = 8;

/** Let other tasks (messages) run: a MessageChannel round trip, which timers do not clamp. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => { c.port1.close(); resolve(); };
    c.port2.postMessage(0);
  });
}

interface Pending { req: Request; resolve: (v: unknown) => void; reject: (e: unknown) => void }

/** Quiet time after the last request before idle work starts (ms): a reader between two steps,
 *  not a page sending its next request. */
export const IDLE_MS = 400;

export class JobRunner {
  private queue: Pending[] = [];
  private busy = false;
  private stopping = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private background: Job | null = null;
  /** idle: work for when no request waits (recording a lesson's next programs ahead), one slice
   *  per next(); null when there is none. A request that comes in waits at most one slice.
   *  idleNow: whether the idle work should start without the quiet time (a deep link's program,
   *  which the page loads next). */
  constructor(private makeJob: (req: Request) => Job, private pause: () => Promise<void> = macrotask,
    private idle: (() => Job | null) | null = null, private idleMs = IDLE_MS, private idleNow: () => boolean = () => false) {}

  submit(req: Request): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
      if (!this.busy) void this.pump();
    });
  }

  /** Idle work, a slice at a time, until a request comes in (served at once: pump) or none is left. */
  private async runIdle() {
    this.timer = null;
    if (this.busy || this.queue.length || !this.idle) return;
    this.busy = true;
    try {
      while (!this.queue.length) {
        const job = this.background ??= this.idle();
        if (!job) break;
        const t = performance.now();
        let r = job.next(false);
        while (!r.done && performance.now() - t < SLICE_MS) r = job.next(false);
        // Done: nothing more until a request comes in (its end arms the timer again).
        if (r.done) { this.background = null; break; }
        await this.pause();
      }
    } catch {
      // Work ahead is only a guess at what is needed next: a failure is the later load's to report.
      this.background = null;
    }
    this.busy = false;
    if (this.queue.length) void this.pump();
  }

  /** Arm the idle work as a request's end does (the worker's start: its warm-up): after the quiet
   *  time, or at once if idleNow says so; a request before then is served first. */
  armIdle() {
    if (!this.busy && this.timer === null && this.idle) this.timer = setTimeout(() => void this.runIdle(), this.idleNow() ? 0 : this.idleMs);
  }

  /** Stop the job in flight (it answers, e.g. a run "stopped: interrupted"); requests sent
   *  after it are served as usual. */
  stop() { if (this.busy) this.stopping = true; }

  private async pump() {
    this.busy = true;
    while (this.queue.length) {
      const p = this.queue.shift()!;
      this.stopping = false;
      try {
        const job = this.makeJob(p.req);
        let t = performance.now();
        let r = job.next(false);
        while (!r.done) {
          if (performance.now() - t > SLICE_MS) { await this.pause(); t = performance.now(); }
          r = job.next(this.stopping);
        }
        p.resolve(r.value);
      } catch (e) {
        p.reject(e);
      }
    }
    this.busy = false;
    if (this.idle) this.timer = setTimeout(() => void this.runIdle(), this.idleNow() ? 0 : this.idleMs);
  }
}
