// A package's `engines.bpfscript`: checked against the SDK's version when a
// script imports the package, before anything of it is read or run.
import test from 'ava';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from '../../../core/syntax/index.ts';
import { prepareProgram } from '../../../core/passes/imports/index.ts';
import { defaultConfig, sdkVersion } from '../../../sdk/index.ts';
import { diagnostics } from './helpers.ts';

function project(pkg: Record<string, unknown>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-engines-')));
  const files: Record<string, string> = {
    'node_modules/lib/package.json': JSON.stringify({ name: 'lib', version: '1.0.0', bpfscript: { stdlib: ['lib.bt'] }, ...pkg }),
    'node_modules/lib/lib.bt': 'macro seven() { 7 }\n',
    'main.bt': 'import "lib";\nbegin { print(seven()); }\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return join(root, 'main.bt');
}

function errorOf(file: string, text = 'import "lib";\nbegin { print(seven()); }\n'): string {
  const sources = new Map([[file, text]]);
  return diagnostics(() => prepareProgram(parse(text, file), { file, config: defaultConfig, cwd: dirname(file), sources }), sources);
}

test('a package made for this SDK version is imported', (t) => {
  const file = project({ engines: { node: '>=20', bpfscript: `^${sdkVersion}` } });
  const text = 'import "lib";\nbegin { print(seven()); }\n';
  const prepared = prepareProgram(parse(text, file), { file, config: defaultConfig, cwd: dirname(file) });
  t.deepEqual(prepared.packages.map((p) => [p.name, p.engine]), [['lib', `^${sdkVersion}`]]);
});

test('a version mismatch names both versions, at the import', (t) => {
  const file = project({ engines: { bpfscript: '^7.0.0' } });
  t.is(errorOf(file),
    `${file}:1:1-13: ERROR: cannot import package "lib": it works with bpfscript ^7.0.0 ("engines.bpfscript" in its package.json), and this is bpfscript ${sdkVersion}\n` +
    'import "lib";\n~~~~~~~~~~~~\n');
});

test('an engines.bpfscript that is not a range is refused', (t) => {
  t.regex(errorOf(project({ engines: { bpfscript: 'latest' } })), /ERROR: cannot import package "lib": its "engines.bpfscript" range "latest" cannot be read\n/);
  t.regex(errorOf(project({ engines: { bpfscript: 1 } })), /ERROR: cannot import package "lib": "engines.bpfscript" must be a version range\n/);
});

test('the SDK version is the package version of bpfscript', async (t) => {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  t.is(sdkVersion, pkg.version);
});
