// Bundles bpfscript into dist/, in two builds:
// - the CLI, one CommonJS file (dist/bpfscript.cjs): Node start-up reads one
//   module instead of hundreds (DESIGN.md measured ~130 ms of start-up that
//   bundling keeps small), and CommonJS lets the launcher (cli/launch.ts,
//   bundled alone into dist/launch.cjs) compile it with V8's code cache. The
//   libraries of `--export` (Prometheus, OpenTelemetry) stay outside it,
//   required from node_modules only by the runs that export.
// - the package's entry points (`bpfscript`, `bpfscript/sdk`,
//   `bpfscript/testing`), ES modules sharing chunks, so that a plugin and its
//   tests that import both get one copy of each module. Plugins loaded by the
//   CLI do not depend on sharing its copy: services are `Symbol.for` keys, and
//   the `(sdk) => plugin` form hands them the CLI's own SDK.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { makeCodeCache } from './code-cache.mjs';
import { koffiFromPackage } from './koffi-path.mjs';
import { lazyBuiltins } from './lazy-builtins.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // koffi carries native prebuilds resolved at run time from its own folder.
  external: ['koffi'],
  logLevel: 'warning',
};
const exportLibraries = ['prom-client', '@opentelemetry/*'];
// The standard library's macros parsed by the sources bundled below; the CLI
// bundle uses a table only when its hash is the one defined here.
const stdlibAsts = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/stdlib-asts.ts'), join(root, 'dist/stdlib-asts')], { cwd: root, encoding: 'utf8' });
// The parser's identity: a hash of every file it is built from (the syntax
// room, what it imports, nearley and moo), the key of the parse cache
// (core/session/parse-cache.ts).
const parserBuild = await build({ ...common, absWorkingDir: root, entryPoints: [join(root, 'core/syntax/index.ts')], write: false, metafile: true, logLevel: 'silent' });
const parserHash = createHash('sha256');
for (const input of Object.keys(parserBuild.metafile.inputs).sort()) parserHash.update(`${input}\0`).update(readFileSync(join(root, input))).update('\0');
const parserId = parserHash.digest('hex');
await build({
  ...common,
  format: 'cjs',
  external: [...common.external, ...exportLibraries],
  entryPoints: [join(root, 'cli/main.ts')],
  outfile: join(root, 'dist/bpfscript.cjs'),
  sourcemap: 'linked',
  // A quarter less to read, decode and hash at every start; names stay as
  // written (no renaming), and stack traces map to the sources
  // (BPFSCRIPT_DEBUG runs Node with --enable-source-maps).
  minifyWhitespace: true,
  // Modules that find files beside themselves (the standard library) read
  // import.meta.dirname, else import.meta.url (made only when read: node:url's
  // first URL costs ~2 ms).
  define: {
    'import.meta.dirname': '__dirname',
    'import.meta.url': '__bpfsModule.url',
    __BPFS_STDLIB_ASTS: JSON.stringify(stdlibAsts),
    __BPFS_PARSER_ID: JSON.stringify(parserId),
  },
  banner: { js: "var __bpfsModule = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  plugins: [lazyBuiltins(['child_process', 'zlib']), koffiFromPackage(root)],
});
// The launcher spawns only to start clang early (core/build/early-clang.ts): child_process loads then.
await build({ ...common, format: 'cjs', entryPoints: [join(root, 'cli/launch.ts')], outfile: join(root, 'dist/launch.cjs'), plugins: [lazyBuiltins(['child_process'])] });
// V8's code cache of the bundle, from a run of it (the launcher uses it where the user's compile cache has none).
const noCodeCache = makeCodeCache(join(root, 'dist'));
if (noCodeCache) console.warn(`warning: dist/bpfscript.cjs.v8 not made (the CLI starts without a code cache until its first run writes one): ${noCodeCache}`);
// Chunks are named by their hash: the last build's would stay, and be packed
// (so would an entry an older layout wrote).
rmSync(join(root, 'dist/chunks'), { recursive: true, force: true });
for (const f of readdirSync(join(root, 'dist'))) if (/\.mjs(\.map)?$/.test(f)) rmSync(join(root, 'dist', f));
await build({
  ...common,
  format: 'esm',
  entryPoints: {
    index: join(root, 'index.ts'),
    sdk: join(root, 'sdk/index.ts'),
    testing: join(root, 'testing/index.ts'),
  },
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  sourcemap: 'linked',
  banner: { js: "import { createRequire as __bpfsCreateRequire } from 'node:module'; const require = __bpfsCreateRequire(import.meta.url);" },
});
