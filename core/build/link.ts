// The link step: the generated program's object and the objects of imported C
// units joined by the runtime's static linker (libbpf's: BTF, line info and
// CO-RE relocations kept) into one object, cached by the inputs' contents.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError, type Runtime } from '../../sdk/index.ts';
import { BuildError } from './clang.ts';
import { cacheDir } from './cache.ts';
import { commitEntry, temporaryPath, trustedEntry } from './cache-entry.ts';

export interface LinkInput {
  path: string;
  /** How messages name it (`strings.bpf.c`, `the generated program`). */
  name: string;
}

export interface LinkResult {
  objectPath: string;
  cached: boolean;
}

export function linkObjects(runtime: Pick<Runtime, 'link'>, inputs: readonly LinkInput[]): LinkResult {
  const hash = createHash('sha256');
  for (const i of inputs) hash.update(readFileSync(i.path)).update('\0');
  const objectPath = join(cacheDir(), `${hash.digest('hex').slice(0, 32)}.linked.bpf.o`);
  if (trustedEntry(objectPath)) return { objectPath, cached: true };
  const tmp = temporaryPath(objectPath);
  try {
    runtime.link(tmp, inputs.map((i) => i.path));
  } catch (e) {
    rmSync(tmp, { force: true });
    if (!(e instanceof RuntimeError)) throw e;
    // Objects of units live in the cache under hashed names: name them as the script does.
    const named = (text: string) => inputs.reduce((t, i) => t.replaceAll(i.path, i.name), text);
    const names = inputs.map((i) => i.name).join(', ');
    throw new BuildError(named(`cannot link ${names}: ${e.message}`), named(e.log.replace(/^libbpf: /gm, '')));
  }
  commitEntry(tmp, objectPath);
  return { objectPath, cached: false };
}
