// Bundles the CLI into one ESM file: Node start-up reads one module instead of
// hundreds (DESIGN.md measured ~130 ms of start-up that bundling keeps small).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'cli/main.ts')],
  outfile: join(root, 'dist/bpfscript.mjs'),
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
