// An esbuild plugin for the CLI bundle: imports of the named Node built-ins
// become functions that load the module on their first call. A bundled
// module's imports run when the bundle loads, and child_process (with net and
// dgram under it) and zlib cost ~6 ms of every start-up, while a warm run
// never spawns a process nor inflates a section. Only plain functions are
// offered (calls forward unchanged); importing anything else from these
// modules (a class, a constant, a function with its own promisified form,
// such as `exec`) fails the build ("No matching export"), so nothing can
// silently behave differently.
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const namespace = 'lazy-builtin';

/** `names`: built-ins without the `node:` prefix, e.g. `['child_process', 'zlib']`. */
export function lazyBuiltins(names) {
  const filter = new RegExp(`^(node:)?(${names.join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.namespace === namespace ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace });
      build.onLoad({ filter: /.*/, namespace }, ({ path }) => {
        const builtin = require(`node:${path}`);
        const functions = Object.keys(builtin).filter((k) => typeof builtin[k] === 'function' && /^[a-z]/.test(k) && !(promisify.custom in builtin[k]));
        const lines = [`let loaded;`, `const load = () => (loaded ??= require('node:${path}'));`];
        for (const f of functions) lines.push(`export function ${f}(...args) { return load().${f}(...args); }`);
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}
