// The probes stage with providers of our own: what matches nothing is an
// error, a warning or nothing as missing_probes says, with bpftrace's
// messages; --probe-filter keeps begin/end; quoted attach point parts.
import test from 'ava';
import { parse } from '../../../core/syntax/index.ts';
import { CompileError, DiagnosticBag, errorAt, type Span } from '../../../core/diagnostics/index.ts';
import { expandProbes, filterProbes, ProviderRegistry, splitAttachPoint } from '../../../core/probes/index.ts';
import { defaultConfig, type ProbeProvider, type ProviderEnv, type RuntimeConfig } from '../../../sdk/index.ts';

/** `thing:NAME` probes exist for the names given; wildcards match over them. */
function things(names: string[]): ProbeProvider {
  return {
    name: 'thing',
    aliases: ['th'],
    expand(req) {
      const re = new RegExp(`^${req.parts[0]!.replace(/\*/g, '.*')}$`);
      return names.filter((n) => re.test(n)).map((n) => ({ name: `thing:${n}`, provider: 'thing', section: 'x', target: {} }));
    },
  };
}

const begin: ProbeProvider = { name: 'begin', aliases: [], role: 'begin', expand: () => [{ name: 'begin', provider: 'begin', section: 'x', target: {} }] };

function envWith(config: Partial<RuntimeConfig>, bag: DiagnosticBag): ProviderEnv {
  return {
    config: { ...defaultConfig, ...config },
    fail: (message: string, span?: Span) => {
      throw errorAt(span, message);
    },
    warn: (message: string, span?: Span) => bag.warning(span, message),
  } as unknown as ProviderEnv;
}

function expand(text: string, config: Partial<RuntimeConfig> = {}) {
  const bag = new DiagnosticBag();
  const registry = new ProviderRegistry([things(['a', 'b']), begin]);
  try {
    const instances = expandProbes(parse(text, 'stdin'), registry, envWith(config, bag), bag);
    return { names: instances.map((i) => i.expanded.name), diagnostics: bag.items.map((d) => `${d.severity}: ${d.message}`) };
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { names: [], diagnostics: e.diagnostics.map((d) => `${d.severity}: ${d.message}`) };
  }
}

test('an attach point without wildcards that matches nothing: error, warning or nothing, as missing_probes says', (t) => {
  t.deepEqual(expand('thing:a, thing:nope { }'), { names: [], diagnostics: ['ERROR: No matches for thing nope.'] });
  t.deepEqual(expand('thing:a, thing:nope { }', { missingProbes: 'warn' }), { names: ['thing:a'], diagnostics: ['WARNING: No matches for thing nope. Skipping.'] });
  t.deepEqual(expand('thing:a, thing:nope { }', { missingProbes: 'ignore' }), { names: ['thing:a'], diagnostics: [] });
});

test('a probe left without attach points: an error (with the config hint) or a warning; a wildcard matching nothing says nothing itself', (t) => {
  t.deepEqual(expand('thing:z* { } thing:a { }'), {
    names: [],
    diagnostics: ["ERROR: Probe has no valid attach points. If this is expected, set the 'missing_probes' config variable to 'warn'."],
  });
  t.deepEqual(expand('thing:nope { } thing:a { }', { missingProbes: 'warn' }), {
    names: ['thing:a'],
    diagnostics: ['WARNING: No matches for thing nope. Skipping.', 'WARNING: Probe has no valid attach points. It is being removed which may cause issues with program behavior.'],
  });
  t.deepEqual(expand('thing:z* { } thing:a { }', { missingProbes: 'ignore' }), { names: ['thing:a'], diagnostics: [] });
});

test('every error of the expansion is reported, not only the first', (t) => {
  t.deepEqual(expand('thing:x { } nope:y { } thing:w { }').diagnostics, [
    'ERROR: No matches for thing x.',
    'ERROR: Invalid probe type: nope',
    'ERROR: No matches for thing w.',
  ]);
});

test('--probe-filter keeps the probes whose name the regex finds, and begin/end always; a bad regex is an error', (t) => {
  t.deepEqual(expand('begin { } thing:* { }', { probeFilter: ':b$' }).names, ['begin', 'thing:b']);
  t.deepEqual(expand('thing:* { }', { probeFilter: 'a|b' }).names, ['thing:a', 'thing:b']);
  const instances = expandProbes(parse('thing:* { }', 'stdin'), new ProviderRegistry([things(['a', 'b'])]), envWith({}, new DiagnosticBag()));
  t.deepEqual(filterProbes(instances, 'b').map((i) => i.index), [0], 'kept probes are numbered again');
  const e = t.throws(() => filterProbes(instances, '[bad'), { instanceOf: CompileError });
  t.regex(e!.message, /^Invalid --probe-filter regex '\[bad': /);
});

test('attach points split at colons outside quotes; inside quotes a backslash escapes', (t) => {
  t.deepEqual(splitAttachPoint('uprobe:"/a b:c":f'), ['uprobe', '/a b:c', 'f']);
  t.deepEqual(splitAttachPoint('usdt:./bin:test:"\\"probe1\\""'), ['usdt', './bin', 'test', '"probe1"']);
  t.deepEqual(splitAttachPoint('software:cpu-clock:'), ['software', 'cpu-clock', '']);
});
