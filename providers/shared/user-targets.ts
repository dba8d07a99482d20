// Where uprobes and USDT probes go: the files their target names, resolved
// as bpftrace resolves them. `*` with -p PID is every file the process maps;
// with -p, files are named through /proc/PID/root (another mount namespace's
// files are reachable that way); several files for a target without
// wildcards is a warning, and the first one is used.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AttachPointRequest, ProviderEnv } from '../../sdk/index.ts';
import { globMatcher, hasWildcard, mappedPaths, resolveBinaryPaths, runningPids } from '../../lib/host/index.ts';

/** Every file some process maps (what `uprobe:*:f` means without -p). */
function everyMappedPath(): string[] {
  return [...new Set(runningPids().flatMap(mappedPaths))];
}

/**
 * The files of a uprobe target (`/bin/bash`, `libc`, `./bin/*`, `*`). Fails
 * (located) when none qualifies; warns when a plain name matches several.
 */
export function uprobeTargets(provider: string, target: string, req: AttachPointRequest, env: ProviderEnv): string[] {
  const pid = env.config.targetPid;
  if (target === '*') return pid !== undefined ? mappedPaths(pid) : everyMappedPath();
  const paths = resolveBinaryPaths(target, { pid, unsafe: env.config.unsafe });
  if (paths.length === 0) return env.fail(`${provider} target file '${target}' does not exist or is not executable`, req.span);
  if (hasWildcard(target)) return paths;
  if (paths.length > 1) env.warn(`attaching to ${provider} target file '${paths[0]}' but matched ${paths.length} binaries`, req.span);
  return [paths[0]!];
}

/** An absolute, canonical path (a /proc/PID/root path as it is: it may not resolve from here); undefined when it does not exist. */
function absolutePath(path: string): string | undefined {
  if (/^\/proc\/\d+\/root\//.test(path)) return path;
  try {
    return realpathSync(resolve(path));
  } catch {
    return undefined;
  }
}

/**
 * The files of a USDT target. Without -p: the target's files (an empty
 * target is refused). With -p: the files the process maps (and the target's,
 * resolved in its mount namespace) whose path ends with the target's
 * absolute path; an empty target or `*` means all of them.
 */
export function usdtTargets(target: string, req: AttachPointRequest, env: ProviderEnv): string[] {
  const pid = env.config.targetPid;
  if (pid === undefined) {
    if (target === '') return env.fail('usdt probes need a target file, or -p PID to look in every file of the process', req.span);
    return uprobeTargets('usdt', target, req, env);
  }
  if (target === '' || target === '*') return mappedPaths(pid);
  const resolved = hasWildcard(target) ? [] : resolveBinaryPaths(target, { pid });
  if (!hasWildcard(target) && resolved.length === 0) return env.fail(`usdt target file '${target}' does not exist or is not executable`, req.span);
  const absolute = absolutePath(resolved[0] ?? target);
  const match = globMatcher(absolute !== undefined ? `*${absolute}` : target);
  return [...new Set([...mappedPaths(pid), ...resolved])].filter((p) => match.test(p));
}

/** The files `-l` looks in for a target: the process's (with -p) and the target's own. */
export function listedFiles(target: string, env: ProviderEnv): string[] {
  const pid = env.config.targetPid;
  const files = pid !== undefined ? mappedPaths(pid) : [];
  if (pid === undefined || target !== '*') files.push(...resolveBinaryPaths(target, { pid }));
  return [...new Set(files)];
}
