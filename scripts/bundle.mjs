// Bundles the CLI into one CommonJS file, dist/bpfscript.cjs: Node start-up
// reads one module instead of hundreds (DESIGN.md measured ~130 ms of start-up
// that bundling keeps small), and CommonJS lets the launcher (cli/launch.ts,
// bundled alone into dist/launch.cjs) compile it with V8's code cache; Node's
// built-in modules are also cheaper to require than to import.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // koffi carries native prebuilds resolved at run time from its own folder.
  external: ['koffi'],
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: [join(root, 'cli/main.ts')],
  outfile: join(root, 'dist/bpfscript.cjs'),
  sourcemap: 'linked',
  // Modules that find files beside themselves (the standard library) read import.meta.url.
  define: { 'import.meta.url': '__bpfsModuleUrl' },
  banner: { js: "var __bpfsModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: [join(root, 'cli/launch.ts')], outfile: join(root, 'dist/launch.cjs') });
