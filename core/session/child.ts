// `-c CMD`: the child is started at once but held before exec until the
// probes are attached (so `cpid` is known at load time and nothing is missed),
// then released. It is terminated with SIGTERM if we exit first.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

export interface ChildProcessHandle {
  pid: number;
  /** Lets the child exec the command. */
  release(): void;
  /** Resolves with the exit code when the child ends. */
  exited: Promise<number>;
  terminate(): void;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Why `command` cannot be started, in upstream's words, or undefined: its
 * first word must name an executable file (a path, or a name found on PATH),
 * checked before anything is attached. A first word the shell would read
 * another way (quotes, variables, `NAME=value`) is left to the shell.
 */
export function commandProblem(command: string, path = process.env.PATH ?? '/usr/bin:/bin'): string | undefined {
  const word = command.trim().split(/\s+/)[0] ?? '';
  if (!word) return 'Empty command (No such file or directory)';
  if (!/^[\w./+,:@%-]+$/.test(word)) return undefined;
  const candidates = word.includes('/') ? [word] : path.split(':').filter(Boolean).map((d) => join(d, word));
  if (candidates.some(executable)) return undefined;
  return `Path '${word}' does not exist or is not executable (No such file or directory)`;
}

export function startChild(command: string): ChildProcessHandle {
  const problem = commandProblem(command);
  if (problem) throw new Error(`Failed to fork child: ${problem}`);
  // The shell waits for a line on fd 3, closes it, and execs the command in
  // the same process, so the pid we load into the program stays right.
  const child = spawn('/bin/sh', ['-c', `read _ <&3; exec 3<&-; exec ${command}`], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`failed to run command: ${command}`);
  const gate = child.stdio[3] as Writable;
  let done = false;
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      resolve(code ?? (signal ? 128 : 0));
    });
  });
  return {
    pid: child.pid,
    release() {
      gate.end('\n');
    },
    exited,
    terminate() {
      if (!done) child.kill('SIGTERM');
    },
  };
}
