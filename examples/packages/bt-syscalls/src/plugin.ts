// bt-syscalls: system calls by name.
//
//   syscall:NAME          tracepoint:syscalls:sys_enter_NAME (args: the call's arguments)
//   syscall:NAME:return   tracepoint:syscalls:sys_exit_NAME  (args.ret: its result)
//   errname(ret)          a result printed as its errno name: -2 prints ENOENT
//
//   import "bt-syscalls";
//   syscall:openat:return / args.ret < 0 / { @failed[comm, errname(args.ret)] = count(); }
//
// The provider is sugar over bpfscript's tracepoint provider: it rewrites the
// attach point and hands expansion, `args`, -l and -lv over to it, so the
// probes it makes are tracepoints and the tracepoint provider attaches them.
// errname() has two halves: its C passes the value on, and a value renderer
// turns the value into the name wherever it is printed (printf, print, map
// keys), in text and JSON alike.
//
// Only types are imported: the running bpfscript hands its SDK over.
import type { Builtin, Expr, PluginFactory, ProbeProvider, ProviderEnv, ValueRenderer } from 'bpfscript/sdk';

/** Linux's errno names (asm-generic/errno-base.h and the common ones of errno.h). */
const errnoNames: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 6: 'ENXIO', 7: 'E2BIG', 8: 'ENOEXEC', 9: 'EBADF',
  10: 'ECHILD', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 15: 'ENOTBLK', 16: 'EBUSY', 17: 'EEXIST',
  18: 'EXDEV', 19: 'ENODEV', 20: 'ENOTDIR', 21: 'EISDIR', 22: 'EINVAL', 23: 'ENFILE', 24: 'EMFILE', 25: 'ENOTTY',
  26: 'ETXTBSY', 27: 'EFBIG', 28: 'ENOSPC', 29: 'ESPIPE', 30: 'EROFS', 31: 'EMLINK', 32: 'EPIPE', 33: 'EDOM',
  34: 'ERANGE', 35: 'EDEADLK', 36: 'ENAMETOOLONG', 38: 'ENOSYS', 39: 'ENOTEMPTY', 40: 'ELOOP', 61: 'ENODATA',
  75: 'EOVERFLOW', 95: 'EOPNOTSUPP', 98: 'EADDRINUSE', 99: 'EADDRNOTAVAIL', 104: 'ECONNRESET', 110: 'ETIMEDOUT',
  111: 'ECONNREFUSED', 115: 'EINPROGRESS', 122: 'EDQUOT',
};

/** A negative result as its errno name (`E<n>` for one without a name here); others as they are. */
export function errname(result: bigint): string {
  if (result >= 0n) return String(result);
  const errno = Number(-result);
  return errnoNames[errno] ?? `E${errno}`;
}

const plugin: PluginFactory = ({ definePlugin, Services, types, isExpr }) => {
  const tracepoint = (env: ProviderEnv): ProbeProvider => env.provider('tracepoint') ?? env.fail('bt-syscalls needs bpfscript\'s tracepoint provider');

  const syscall: ProbeProvider = {
    name: 'syscall',
    aliases: ['sc'],
    expand(request, env) {
      const [name, end, ...rest] = request.parts;
      if (!name || rest.length > 0 || (end !== undefined && end !== 'return')) {
        return env.fail('syscall probes are written syscall:NAME or syscall:NAME:return', request.span);
      }
      const parts = ['syscalls', `sys_${end === 'return' ? 'exit' : 'enter'}_${name}`];
      return tracepoint(env).expand({ ...request, providerWord: 'tracepoint', parts, raw: `tracepoint:${parts.join(':')}` }, env);
    },
    isPattern: (request) => /[*?[]/.test(request.parts.join(':')),
    contextValue: (name, probe, env) => tracepoint(env).contextValue?.(name, probe, env),
    describeArguments: (name, env) => tracepoint(env).describeArguments?.(name, env) ?? [],
    list: (pattern, env) => {
      const [name = '*', end] = pattern.split(':');
      const listed = tracepoint(env).list?.(`syscalls:sys_${end === 'return' ? 'exit' : 'enter'}_${name}`, env) ?? [];
      return listed.map((n) => n.replace(/^tracepoint:syscalls:sys_enter_(.*)$/, 'syscall:$1').replace(/^tracepoint:syscalls:sys_exit_(.*)$/, 'syscall:$1:return'));
    },
  };

  const errnameBuiltin: Builtin = {
    name: 'errname',
    doc: ':variant string errname(int64 result)\nA system call\'s result as its errno name when it failed (-2 prints ENOENT), as the number otherwise.',
    check(args, tc, span) {
      const n = args[0];
      if (args.length !== 1 || !isExpr(n)) return tc.fail('errname() takes one argument', span);
      if (tc.typeOf(n).kind !== 'int') return tc.fail('errname() takes an integer', n.span);
      // The value is the number; the renderer of its tag prints it.
      return { ...types.int64, render: { kind: 'errname' } };
    },
    emit: (args, ec) => `((__s64)(${ec.expr(args[0] as Expr)}))`,
  };

  const errnameRenderer: ValueRenderer = {
    kind: 'errname',
    open: () => (value) => ({ value: errname(BigInt.asIntN(64, value)), type: types.stringType(16) }),
  };

  return definePlugin('bt-syscalls', ({ bind }) => {
    bind(Services.ProbeProvider).toConstantValue(syscall);
    bind(Services.Builtin).toConstantValue(errnameBuiltin);
    bind(Services.ValueRenderer).toConstantValue(errnameRenderer);
  });
};

export default plugin;
