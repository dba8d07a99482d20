// Native calls on koffi's worker threads, a bounded number at a time. koffi
// refuses an async call once max_async_calls (256 by default) are running or
// queued ("Too many asynchronous calls are running"): detaching the 361 links
// of `tracepoint:syscalls:sys_enter_*` at once failed that way and the maps
// were never printed. Calls past the bound wait here for a free slot instead.
import type { NativeFn } from './native.ts';

/** Calls handed to koffi at once: well under its limit, far over its worker threads (so its queue stays fed). */
export const MAX_CONCURRENT_ASYNC_CALLS = 128;

let running = 0;
const waiting: (() => void)[] = [];

function release(): void {
  running--;
  waiting.shift()?.();
}

/** `fn(...args)` on a worker thread; resolves with its result once it returns. */
export function callAsync(fn: NativeFn, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const start = (): void => {
      running++;
      try {
        fn.async(...args, (err: unknown, result: unknown) => {
          release();
          if (err) reject(err);
          else resolve(result);
        });
      } catch (e) {
        release();
        reject(e);
      }
    };
    if (running < MAX_CONCURRENT_ASYNC_CALLS) start();
    else waiting.push(start);
  });
}

/** Calls started and not finished, and calls waiting to start (for tests). */
export function asyncCallsInFlight(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}
