// The user-space half of `-k` and of failed map updates (always checked): the
// core wraps helper calls so a failure sends a helper_error record; its handler
// reports the helper, its return code and the errno's text at the call's
// location. Errors the program finds itself (division by zero, an index out of
// bounds) come the same way.
import type { ActionHandler, HelperErrorAction, RuntimeErrorAction } from '../../sdk/index.ts';

const helperErrorHandler: ActionHandler<HelperErrorAction> = {
  kind: 'helper_error',
  open: (session) => ({
    handle(action, record) {
      // As upstream, --no-warnings reports no failed helper (-k cannot be given with it).
      if (session.noWarnings) return;
      const retcode = Number(record.view.getBigInt64(record.offset + 8, true));
      const error = { kind: 'helper' as const, helper: action.helper, retcode, message: session.runtime.errnoMessage(-retcode) };
      session.output.runtimeError(error, { span: action.span, sources: session.sources }, session.writer);
    },
  }),
};

const runtimeErrorHandler: ActionHandler<RuntimeErrorAction> = {
  kind: 'runtime_error',
  open: (session) => ({
    handle(action) {
      session.output.runtimeError({ kind: 'other', message: action.message }, { span: action.span, sources: session.sources }, session.writer);
    },
  }),
};

export const helperErrorHandlers: ActionHandler[] = [helperErrorHandler, runtimeErrorHandler];
