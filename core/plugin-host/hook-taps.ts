// A package's HookTap taps the session's hooks through a view of them whose
// tap methods wrap each function it taps: an exception there (or a rejected
// promise, or an error passed to a callback) is reported as guard.ts reports a
// builtin's, with the tap, its plugin and package, the hook, and the import
// that brought the package. The bundled plugins' taps get the hooks as they are.
import type { Hooks, HookTap } from '../../sdk/index.ts';
import type { Span } from '../diagnostics/index.ts';
import { pluginFailure } from './guard.ts';
import { originOf } from './origins.ts';

type Fn = (...args: unknown[]) => unknown;
type Callback = (error?: unknown, result?: unknown) => void;
interface Tappable {
  tap(options: unknown, fn: Fn): void;
  tapPromise(options: unknown, fn: Fn): void;
  tapAsync(options: unknown, fn: Fn): void;
}

/** The hooks `tap` should apply itself to; `at` is where the script imported its package. */
export function hooksFor(tap: HookTap, hooks: Hooks, at: Span | undefined): Hooks {
  const origin = originOf(tap);
  if (!origin || origin.bundled) return hooks;
  const label = `hook tap "${tap.name}"`;
  const view: Record<string, unknown> = {};
  for (const name of Object.keys(hooks)) {
    const fail = (e: unknown) => pluginFailure(tap, label, `the ${name} hook`, at, e);
    const wrapped: Partial<Tappable> = {
      tap: (options, fn) => hook.tap(options, (...args) => {
        try {
          return fn(...args);
        } catch (e) {
          throw fail(e);
        }
      }),
      tapPromise: (options, fn) => hook.tapPromise(options, async (...args) => {
        try {
          return await fn(...args);
        } catch (e) {
          throw fail(e);
        }
      }),
      tapAsync: (options, fn) => hook.tapAsync(options, (...args) => {
        const done = args.pop() as Callback;
        try {
          fn(...args, (error?: unknown, result?: unknown) => done(error ? fail(error) : error, result));
        } catch (e) {
          done(fail(e));
        }
      }),
    };
    const hook = (hooks as unknown as Record<string, Tappable>)[name]!;
    view[name] = new Proxy(hook, {
      get(target, prop) {
        if (typeof prop === 'string' && prop in wrapped) return wrapped[prop as keyof Tappable];
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
  return view as unknown as Hooks;
}
