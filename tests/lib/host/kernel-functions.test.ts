// The traceable kernel functions: available_filter_functions' format (a
// fixture with module functions and functions never to trace), the kprobe
// blacklist's format, and what -l gets where the list cannot be read.
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listableFunctions, parseFilterFunctions, parseKprobeBlacklist, selectFunctions, selectModuleFunctions } from '../../../lib/host/index.ts';
import { repoRoot } from '../../helpers/run.ts';

const fixture = (name: string) => readFileSync(join(repoRoot, 'tests/fixtures/kernel-functions', name), 'utf8');

test('available_filter_functions: a name a line, `[module]` after it; ftrace placeholders, rcu_ and idle functions left out', (t) => {
  const fns = parseFilterFunctions(fixture('available_filter_functions'));
  t.deepEqual(fns, [
    { name: 'vfs_read' },
    { name: 'vfs_write' },
    { name: 'ksys_read' },
    { name: 'xfs_file_read_iter', module: 'xfs' },
    { name: 'xfs_blocked_fn', module: 'xfs' },
    { name: 'native_write_cr0' },
  ]);
});

test('the kprobe blacklist names `module:function` entries; those are not traceable', (t) => {
  const blocked = parseKprobeBlacklist(fixture('kprobe-blacklist'));
  t.deepEqual([...blocked], ['vmlinux:native_write_cr0', 'xfs:xfs_blocked_fn']);
  const fns = parseFilterFunctions(fixture('available_filter_functions'), blocked);
  t.deepEqual(selectFunctions(fns, '*'), ['ksys_read', 'vfs_read', 'vfs_write', 'xfs_file_read_iter']);
  t.deepEqual(selectFunctions(fns, '*read*', 'xfs'), ['xfs_file_read_iter']);
  t.deepEqual(selectFunctions(fns, '*', 'vmlinux'), ['ksys_read', 'vfs_read', 'vfs_write']);
  t.deepEqual(selectModuleFunctions(fns, 'x*:*'), ['xfs:xfs_file_read_iter']);
});

test('-l takes no functions where tracefs\' list cannot be read (and says which file); a named file that cannot be read throws', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bpfs-fns-'));
  t.deepEqual(listableFunctions(root), { functions: [], unreadable: join(root, 'available_filter_functions') });
  t.throws(() => listableFunctions(root, join(root, 'nope')), { message: `Could not read functions from ${join(root, 'nope')}.` });
  const named = listableFunctions(root, join(repoRoot, 'tests/fixtures/kernel-functions/available_filter_functions'));
  t.is(named.unreadable, undefined);
  t.true(named.functions.some((f) => f.name === 'vfs_read'));
});
