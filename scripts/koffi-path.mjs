// An esbuild plugin for the CLI bundle: `koffi` is required by its path in
// the package's own node_modules, where Node's resolution from dist/ finds it
// first too, and by its name only when it is not there (installed elsewhere,
// e.g. hoisted by a package manager). Resolving the name costs every start
// ~3 ms: bpfscript's package.json for a self-reference, then koffi's
// `exports` through Node's ES module resolver, loaded for that alone.
const namespace = 'koffi-path';

export function koffiFromPackage() {
  return {
    name: 'koffi-path',
    setup(build) {
      build.onResolve({ filter: /^koffi$/ }, (args) => (args.namespace === namespace ? { path: 'koffi', external: true } : { path: 'koffi', namespace }));
      build.onLoad({ filter: /.*/, namespace }, () => ({
        loader: 'js',
        contents: [
          // The bundle is dist/bpfscript.cjs; koffi's `exports` maps require() to index.cjs.
          `let koffi;`,
          `try {`,
          `  koffi = require(require('node:path').join(__dirname, '..', 'node_modules', 'koffi', 'index.cjs'));`,
          `} catch (e) {`,
          `  if (e?.code !== 'MODULE_NOT_FOUND') throw e;`,
          `  koffi = require('koffi');`,
          `}`,
          `module.exports = koffi;`,
        ].join('\n'),
      }));
    },
  };
}
