// The process's own name: without it, bpfscript is `node` in `comm`, `ps` and top.
import { readdirSync, writeFileSync } from 'node:fs';

/** The name bpfscript's process (and each of its threads) goes by. */
export const PROCESS_NAME = 'bpfscript';

/**
 * Names the process `name`: the main thread's comm and the command line `ps`
 * shows (process.title), and the comm of every thread started so far (Node
 * starts its platform threads before any script runs; threads started later
 * inherit the main thread's name). Best effort: a thread that ends meanwhile
 * is skipped.
 */
export function nameProcess(name: string = PROCESS_NAME): void {
  process.title = name;
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const tid of threads) {
    try {
      writeFileSync(`/proc/self/task/${tid}/comm`, name);
    } catch {
      // The thread ended, or /proc is not writable here: its name stays.
    }
  }
}
