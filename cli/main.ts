// Process entry of the bundled CLI (scripts/bundle.mjs bundles from here).
// Named first: imports run in order, and the name must hold before any probe reads comm.
import './name-process.ts';
import { main } from './cli.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`ERROR: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
