// Bundles the CLI into one ESM file: Node start-up reads one module instead of
// hundreds (DESIGN.md measured ~130 ms of start-up that bundling keeps small).
// What the CLI imports dynamically (the exporters of `--export`, with the
// Prometheus and OpenTelemetry libraries) goes to chunks of its own beside
// it, read only by the runs that use it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'cli/main.ts')],
  outdir: join(root, 'dist'),
  entryNames: 'bpfscript',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // koffi carries native prebuilds resolved at run time from its own folder.
  external: ['koffi'],
  banner: { js: "import { createRequire as __bpfsCreateRequire } from 'node:module'; const require = __bpfsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
