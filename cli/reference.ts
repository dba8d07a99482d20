// The function reference of this installation: the standard library's docs
// and those of the builtins that the built-in plugins bind (a package's
// builtins and macros are not in it: they exist only once a script imports
// the package). Needs no kernel: docs/stdlib.md is generated from it in CI.
import { Services } from '../sdk/index.ts';
import { StandardLibrary, buildReference, type Reference } from '../stdlib/index.ts';
import { createBpfscript } from './plugins.ts';

export async function builtinReference(stdlib: StandardLibrary = new StandardLibrary()): Promise<Reference> {
  const container = await createBpfscript();
  return buildReference(stdlib, container.getAll(Services.Builtin));
}
