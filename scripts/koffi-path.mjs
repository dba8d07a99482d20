// An esbuild plugin for the CLI bundle: how the bundle finds koffi.
//
// 1. koffi's native module itself, by the path (relative to a node_modules
//    folder) that koffi loaded it from in the build's process, when the run's
//    platform and architecture are the build's and the module says it is the
//    version that was built against; looked for in the package's own
//    node_modules, then in the node_modules folder the package is installed
//    in (where npm hoists a project's dependencies). koffi's JavaScript
//    entry only adds deprecated aliases around the same object (none of
//    which bpfscript uses), but costs every start ~5 ms: it reads node's own
//    ELF header to tell glibc from musl, then resolves the native package by
//    name.
// 2. Else koffi's entry by its path in the package's own node_modules, where
//    Node's resolution from dist/ finds it first too (resolving the name
//    costs ~3 ms: bpfscript's package.json for a self-reference, then
//    koffi's `exports` through Node's ES module resolver).
// 3. Else koffi by its name (installed elsewhere).
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { realpathSync } from 'node:fs';

const namespace = 'koffi-path';

/** The native module koffi loads on this machine, relative to `<root>/node_modules`, and koffi's version; undefined when koffi loads none from there. */
function nativeModule(root) {
  const modules = realpathSync(join(root, 'node_modules'));
  const require = createRequire(join(root, 'package.json'));
  const koffi = require(join(modules, 'koffi', 'index.cjs'));
  const loaded = Object.keys(require.cache).find((f) => f.endsWith('.node') && f.startsWith(modules + sep) && require.cache[f].exports?.version === koffi.version);
  if (!loaded) return undefined;
  return { path: relative(modules, loaded).split(sep), version: koffi.version };
}

export function koffiFromPackage(root) {
  const native = nativeModule(root);
  return {
    name: 'koffi-path',
    setup(build) {
      build.onResolve({ filter: /^koffi$/ }, (args) => (args.namespace === namespace ? { path: 'koffi', external: true } : { path: 'koffi', namespace }));
      build.onLoad({ filter: /.*/, namespace }, () => ({
        loader: 'js',
        contents: [
          // The bundle is dist/bpfscript.cjs.
          `const { basename, join } = require('node:path');`,
          `const modules = join(__dirname, '..', 'node_modules');`,
          `function fromPackage() {`,
          `  try {`,
          // koffi's `exports` maps require() to index.cjs.
          `    return require(join(modules, 'koffi', 'index.cjs'));`,
          `  } catch (e) {`,
          `    if (e?.code !== 'MODULE_NOT_FOUND') throw e;`,
          `    return require('koffi');`,
          `  }`,
          `}`,
          ...(native
            ? [
                `function nativeModule() {`,
                `  if (process.platform !== ${JSON.stringify(process.platform)} || process.arch !== ${JSON.stringify(process.arch)}) return undefined;`,
                `  const installedIn = join(__dirname, '..', '..');`,
                `  for (const dir of basename(installedIn) === 'node_modules' ? [modules, installedIn] : [modules]) {`,
                `    try {`,
                `      const native = require(join(dir, ...${JSON.stringify(native.path)}));`,
                `      if (native.version === ${JSON.stringify(native.version)}) return native;`,
                `    } catch {`,
                // Missing, or not loadable here (another libc): the next place, then koffi's entry.
                `    }`,
                `  }`,
                `  return undefined;`,
                `}`,
                `module.exports = nativeModule() ?? fromPackage();`,
              ]
            : [`module.exports = fromPackage();`]),
        ].join('\n'),
      }));
    },
  };
}
