// The run-time half of a third-party plugin, guarded as its compile-time half
// is (guard.ts): a provider's attach, an action handler's open, handle and
// finish, a value renderer's open and render. An exception there is reported
// with the plugin, the provider or handler, and the script's place: the
// probe's attach point, the call that registered the action. Handlers and
// renderers are wrapped once, when the session opens them, and only a
// package's: the bundled ones (and so every event of a run without packages)
// run as they are.
import type { ActionHandler, ActionHandlerInstance, Attachment, ProbeProvider, RunSession, ShownValue, ValueRenderer } from '../../sdk/index.ts';
import type { RenderTag } from '../manifest/index.ts';
import { CompileError, type Span } from '../diagnostics/index.ts';
import { guarded } from './guard.ts';
import { originOf } from './origins.ts';

const thirdParty = (x: object) => {
  const origin = originOf(x);
  return origin !== undefined && !origin.bundled;
};

/** A provider's `attach` of one probe (`probe`: its name), reported at the attach point it came from. */
export function guardedAttach(provider: ProbeProvider, probe: string, at: Span | undefined, attach: () => Attachment[]): Attachment[] {
  return guarded(provider, `provider "${provider.name}"`, `attach of ${probe}`, at, attach);
}

/** An action handler opened for a session; `callOf(id)` is where the script registered action `id`. */
export function openHandler(handler: ActionHandler, session: RunSession, firstAction: number, callOf: (id: number) => Span | undefined): ActionHandlerInstance {
  if (!thirdParty(handler)) return handler.open(session);
  const label = `action handler "${handler.kind}"`;
  const instance = guarded(handler, label, 'open', callOf(firstAction), () => handler.open(session));
  return {
    handle: (action, record) => guarded(handler, label, 'handle', callOf(action.id), () => instance.handle(action, record)),
    ...(instance.finish ? { finish: () => guarded(handler, label, 'finish', callOf(firstAction), () => instance.finish!()) } : {}),
  };
}

/** A value renderer opened for a session. Its failures have no place of their own: `placedAt` gives them the event's. */
export function openRenderer(renderer: ValueRenderer, session: RunSession): (value: bigint, tag: RenderTag, more?: readonly bigint[]) => ShownValue {
  if (!thirdParty(renderer)) return renderer.open(session);
  const label = `value renderer "${renderer.kind}"`;
  const render = guarded(renderer, label, 'open', undefined, () => renderer.open(session));
  return (value, tag, more) => guarded(renderer, label, 'render', undefined, () => render(value, tag, more));
}

/**
 * A plugin's failure that came without a place (a renderer's, while a
 * handler printed a value), placed at `span`: the call whose event it was.
 */
export function placedAt(e: unknown, span: Span | undefined): unknown {
  if (!span || !(e instanceof CompileError) || e.diagnostics[0]?.span) return e;
  return new CompileError(e.diagnostics.map((d, i) => (i === 0 ? { ...d, span } : d)));
}
