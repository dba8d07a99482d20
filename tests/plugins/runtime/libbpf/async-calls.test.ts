import test from 'ava';
import { asyncCallsInFlight, callAsync, MAX_CONCURRENT_ASYNC_CALLS } from '../../../../plugins/runtime/libbpf/async-calls.ts';
import type { NativeFn } from '../../../../plugins/runtime/libbpf/native.ts';

/** A native function whose async calls finish when the test says, refusing (as koffi does) past `limit` at once. */
function fakeNative(limit: number) {
  const pending: (() => void)[] = [];
  let busiest = 0;
  const fn = (() => 0) as unknown as NativeFn;
  fn.async = (...args: unknown[]) => {
    if (pending.length >= limit) throw new Error('Too many asynchronous calls are running');
    const done = args[args.length - 1] as (err: unknown, result: unknown) => void;
    pending.push(() => done(null, args[0]));
    busiest = Math.max(busiest, pending.length);
  };
  return { fn, pending, busiest: () => busiest };
}

test.serial('more calls than koffi takes at once all complete, never more than the bound running', async (t) => {
  const native = fakeNative(256);
  const calls = Array.from({ length: 1000 }, (_, i) => callAsync(native.fn, i));
  t.is(asyncCallsInFlight().running, MAX_CONCURRENT_ASYNC_CALLS);
  t.is(asyncCallsInFlight().waiting, 1000 - MAX_CONCURRENT_ASYNC_CALLS);
  // Finish calls as the worker threads would, oldest first, until none is left.
  while (native.pending.length > 0) {
    native.pending.shift()!();
    await Promise.resolve();
  }
  t.deepEqual(await Promise.all(calls), Array.from({ length: 1000 }, (_, i) => i));
  t.is(native.busiest(), MAX_CONCURRENT_ASYNC_CALLS);
  t.deepEqual(asyncCallsInFlight(), { running: 0, waiting: 0 });
});

test.serial('a call koffi refuses rejects and frees its slot', async (t) => {
  const refusing = fakeNative(0);
  await t.throwsAsync(callAsync(refusing.fn, 1), { message: /Too many asynchronous calls/ });
  t.deepEqual(asyncCallsInFlight(), { running: 0, waiting: 0 });
});
