// Process entry of the bundled CLI (scripts/bundle.mjs bundles from here).
// Named first: imports run in order, and the name must hold before any probe reads comm.
import './name-process.ts';
import { main } from './cli.ts';

// Every module of the bundle is loaded and evaluated by now (--timings' "module load").
// Read from process.hrtime: the first use of `performance` loads perf_hooks
// (~2 ms of every start), which only --timings needs.
const loadedAt = process.hrtime.bigint();
main(process.argv.slice(2), loadedAt).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`ERROR: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
