// `-c CMD`: the child is started at once but held before exec until the
// probes are attached (so `cpid` is known at load time and nothing is missed),
// then released. It is terminated with SIGTERM if we exit first.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface ChildProcessHandle {
  pid: number;
  /** Lets the child exec the command. */
  release(): void;
  /** Resolves with the exit code when the child ends. */
  exited: Promise<number>;
  terminate(): void;
}

export function startChild(command: string): ChildProcessHandle {
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
