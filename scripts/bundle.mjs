// Bundles bpfscript into dist/: the CLI (bin/bpfscript runs dist/bpfscript.mjs)
// and the package's entry points (`bpfscript`, `bpfscript/sdk`,
// `bpfscript/testing`), sharing chunks so that a plugin importing
// 'bpfscript/sdk' gets the very modules the CLI runs. Node start-up reads a
// few modules instead of hundreds (DESIGN.md measured ~130 ms of start-up
// that bundling keeps small). What the CLI imports dynamically (the exporters
// of `--export`, with the Prometheus and OpenTelemetry libraries) goes to
// chunks of its own, read only by the runs that use it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Chunks are named by their hash: the last build's would stay, and be packed.
rmSync(join(root, 'dist/chunks'), { recursive: true, force: true });
await build({
  entryPoints: {
    bpfscript: join(root, 'cli/main.ts'),
    index: join(root, 'index.ts'),
    sdk: join(root, 'sdk/index.ts'),
    testing: join(root, 'testing/index.ts'),
  },
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
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
