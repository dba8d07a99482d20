// The event dispatch: every ring-buffer record's action id picks its action,
// and the handler of the action's kind turns the record into output. The
// core knows no kinds: the handlers are the plugins' (`Services.ActionHandler`),
// each opened once per session, and an action kind no plugin handles stops
// the session before anything is loaded.
import type { ActionHandler, ActionHandlerInstance, Hooks, RunSession, ValueRenderer } from '../../sdk/index.ts';
import type { Action, Manifest } from '../manifest/index.ts';
import type { Span } from '../diagnostics/index.ts';
import { openHandler, placedAt } from '../plugin-host/index.ts';

/** Plugins' contributions by kind; two for one kind is an error (which would win is not for the core to guess). */
function byKind<T extends { kind: string }>(items: readonly T[], what: string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    if (out.has(item.kind)) throw new Error(`two plugins ${what} "${item.kind}"`);
    out.set(item.kind, item);
  }
  return out;
}

/** The handler of every action kind of the program, by kind; throws for a kind no plugin handles. */
export function actionHandlers(manifest: Manifest, handlers: readonly ActionHandler[]): Map<string, ActionHandler> {
  const known = byKind(handlers, 'handle action kind');
  for (const action of manifest.actions) if (!known.has(action.kind)) throw new Error(`no plugin handles action kind "${action.kind}"`);
  return known;
}

/** The value renderers by the render-tag kind they render. */
export function valueRenderers(renderers: readonly ValueRenderer[]): Map<string, ValueRenderer> {
  return byKind(renderers, 'render values of kind');
}

export class EventDispatch {
  readonly #actions = new Map<number, { action: Action; handler: ActionHandlerInstance }>();
  /** The opened handlers, in the order of their kinds' first actions. */
  readonly #opened = new Map<string, ActionHandlerInstance>();

  /** Set when end probes run: their records are delivered whether exit() was called or not. */
  #endProbes = false;

  /**
   * @param exited whether exit() (or a signal, a while ago) ended the run:
   *   records still queued then are dropped until the end probes run, as
   *   bpftrace drops them (so an interval firing again before user space saw
   *   its exit() prints nothing)
   */
  /**
   * @param actionCalls by action id, the script's call that registered it:
   *   where a package's handler (or renderer) failing on its records is reported
   */
  constructor(
    session: RunSession,
    handlers: ReadonlyMap<string, ActionHandler>,
    private readonly hooks: Pick<Hooks, 'event'>,
    private readonly exited: () => boolean = () => false,
    private readonly actionCalls: readonly (Span | undefined)[] = [],
  ) {
    const callOf = (id: number) => this.actionCalls[id];
    for (const action of session.manifest.actions) {
      let handler = this.#opened.get(action.kind);
      if (!handler) this.#opened.set(action.kind, (handler = openHandler(handlers.get(action.kind)!, session, action.id, callOf)));
      this.#actions.set(action.id, { action, handler });
    }
  }

  /** One ring-buffer record. */
  dispatch(view: DataView, offset: number): void {
    if (!this.#endProbes && this.exited()) return;
    const id = Number(view.getBigUint64(offset, true));
    // A tap that returns true claims the record: its action does not run.
    if (this.hooks.event.call(id, view, offset) === true) return;
    const entry = this.#actions.get(id);
    if (!entry) return;
    try {
      entry.handler.handle(entry.action, { view, offset });
    } catch (e) {
      throw placedAt(e, this.actionCalls[id]);
    }
  }

  /** The end probes run now: their records are delivered. */
  endProbesRun(): void {
    this.#endProbes = true;
  }

  /** After the last record: what handlers still hold is printed. */
  finish(): void {
    for (const handler of this.#opened.values()) handler.finish?.();
  }
}
