// Async builtins taking printf's format and arguments, whose text user space
// acts on: errorf()/warnf() print it as a located message, cat() prints the
// file it names, system() runs it as a shell command. The C half sends the
// arguments (formattedBuiltin); the handler formats them when they arrive.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Action, ActionHandler, ArgLayout, Builtin, EventRecord, NewAction, RunSession, Span } from '../../sdk/index.ts';
import { formatPrintf, type PrintfArg } from '../../lib/render/index.ts';
import { formattedBuiltin } from './output.ts';
import { withDoc } from './define.ts';

/** A printf-like action: the record holds the arguments at `args`. */
interface FormattedAction extends Action {
  format: string;
  args: ArgLayout[];
}

/** errorf(), warnf(): a message at the call's location. */
export interface LogfAction extends FormattedAction {
  kind: 'logf';
  severity: 'error' | 'warning';
  span?: Span;
}

/** cat(): the formatted text names the file. */
export interface CatAction extends FormattedAction {
  kind: 'cat';
}

/** system(): the formatted text is the command. */
export interface SystemAction extends FormattedAction {
  kind: 'system';
}

const logf = (name: 'errorf' | 'warnf', severity: 'error' | 'warning'): Builtin =>
  formattedBuiltin(name, (format, args, span): NewAction<LogfAction> => ({ kind: 'logf', severity, format, args, span }));

const cat = formattedBuiltin('cat', (format, args): NewAction<CatAction> => ({ kind: 'cat', format, args }));

const system = formattedBuiltin('system', (format, args): NewAction<SystemAction> => ({ kind: 'system', format, args }), (tc, span) => {
  if (!tc.config.unsafe) tc.fail('system() is an unsafe function being used in safe mode', span);
});

/** The record's arguments, decoded and rendered, through the action's format. */
function formatted(session: RunSession, action: FormattedAction, record: EventRecord): string {
  return formatPrintf(action.format, action.args.map((a) => session.value(record, a)) as PrintfArg[]);
}

const logfHandler: ActionHandler<LogfAction> = {
  kind: 'logf',
  open: (session) => ({
    handle(action, record) {
      // warnf() is silent with --no-warnings.
      if (action.severity === 'warning' && session.noWarnings) return;
      session.output.logf(action.severity, formatted(session, action, record), { span: action.span, sources: session.sources }, session.writer);
    },
  }),
};

const errnoOf = (e: unknown) => Math.abs((e as NodeJS.ErrnoException).errno ?? 5);

/**
 * cat(path): at most max_cat_bytes of the file, as its text. A file that
 * cannot be opened is an ERROR line worded as upstream's (`failed to open file
 * 'PATH' (No such file or directory)`); a read that fails ends the text there
 * (a folder prints nothing), as upstream's stream read does.
 */
function catFile(session: RunSession, path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    session.writer.err(`ERROR: failed to open file '${path}' (${session.runtime.errnoMessage(errnoOf(e))})\n`);
    return;
  }
  const buf = Buffer.alloc(session.config.maxCatBytes);
  let n = 0;
  try {
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
  } catch {
    // What was read is printed.
  } finally {
    closeSync(fd);
  }
  session.output.textMessage('cat', buf.toString('utf8', 0, n), session.writer);
}

const catHandler: ActionHandler<CatAction> = {
  kind: 'cat',
  open: (session) => ({ handle: (action, record) => catFile(session, formatted(session, action, record)) }),
};

/** system(command): as bpftrace, the command runs through the shell and events wait until it ends. */
function runCommand(session: RunSession, command: string): void {
  const r = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    session.writer.err(`ERROR: system(): ${r.error.message}\n`);
    return;
  }
  session.output.textMessage('syscall', r.stdout ?? '', session.writer);
}

const systemHandler: ActionHandler<SystemAction> = {
  kind: 'system',
  open: (session) => ({ handle: (action, record) => runCommand(session, formatted(session, action, record)) }),
};

const ERRORF_DOC = `:variant void errorf(const string fmt, args...)
**async**

Formats its arguments as \`printf\` does and prints the text on stderr as an
error at the call's place in the script (\`stdin:1:9-40: ERROR: ...\`). The run
goes on.

\`\`\`
tracepoint:syscalls:sys_exit_openat /args.ret < 0/ { errorf("open failed: %d", args.ret); }
\`\`\``;

const WARNF_DOC = `:variant void warnf(const string fmt, args...)
**async**

As \`errorf\`, as a warning (\`WARNING: ...\`); silent with \`--no-warnings\`.`;

const CAT_DOC = `:variant void cat(string namefmt, [...args])
**async**

Prints the contents of a file, at most \`max_cat_bytes\` of it (config,
default 10240). The name is formatted as \`printf\` formats its text. A file
that cannot be read is an error on stderr (\`ERROR: failed to open file
'/x' (No such file or directory)\`) and the run goes on.

\`\`\`
tracepoint:syscalls:sys_enter_execve { cat("/proc/%d/maps", pid); }
\`\`\``;

const SYSTEM_DOC = `:variant void system(string namefmt [, ...args])
**unsafe** **async**

Runs a shell command, formatted as \`printf\` formats its text, and prints
what it writes on stdout. Events wait while the command runs. Needs
\`--unsafe\`.

\`\`\`
interval:s:10 { system("cat /proc/loadavg"); }
\`\`\``;

export const asyncBuiltins: Builtin[] = [
  withDoc(logf('errorf', 'error'), ERRORF_DOC),
  withDoc(logf('warnf', 'warning'), WARNF_DOC),
  withDoc(cat, CAT_DOC),
  withDoc(system, SYSTEM_DOC),
];
export const asyncHandlers: ActionHandler[] = [logfHandler, catHandler, systemHandler];
