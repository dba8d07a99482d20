// getopt(): named program parameters (`bpfscript script.bt -- --depth=5 --verbose`).
// The value is known when the script is compiled, so the call folds to a
// constant (upstream reads it from a global at run time; the result is the same).
import { CompileError, types, type Builtin, type BuiltinArgNode, type CheckContext, type RuntimeConfig, type Span, type ValueType } from '../../sdk/index.ts';
import { expectArgs } from './define.ts';

/** What a getopt() call declares: the option, its type (from the default) and the default. */
export interface GetoptDeclaration {
  name: string;
  kind: 'bool' | 'int' | 'string';
  default: boolean | bigint | string;
  description?: string;
}

/** The declaration a call's arguments make, or an error message with the argument it is about. */
export function getoptDeclaration(args: BuiltinArgNode[]): GetoptDeclaration | { error: string; at: BuiltinArgNode } {
  const [name, dflt, description] = args;
  if (name?.kind !== 'String') return { error: "First argument to 'getopt' must be a string literal.", at: name! };
  const decl = (d: Omit<GetoptDeclaration, 'name' | 'description'>): GetoptDeclaration => ({
    name: name.value,
    ...d,
    ...(description?.kind === 'String' ? { description: description.value } : {}),
  });
  if (description && description.kind !== 'String') return { error: "Third argument to 'getopt' (the description) must be a string literal.", at: description };
  if (!dflt) return decl({ kind: 'bool', default: false });
  switch (dflt.kind) {
    case 'Bool':
      return decl({ kind: 'bool', default: dflt.value });
    case 'String':
      return decl({ kind: 'string', default: dflt.value });
    case 'Integer':
      return decl({ kind: 'int', default: dflt.value });
    case 'Unary':
      if (dflt.op === '-' && dflt.operand.kind === 'Integer') return decl({ kind: 'int', default: -dflt.operand.value });
      break;
  }
  return { error: "Second argument to 'getopt' must be a string literal, integer literal, or a boolean literal.", at: dflt };
}

function show(v: boolean | bigint | string): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * The option's value: the command line's, converted to the default's type, or
 * the default. A value that does not convert is upstream's error, which names
 * the option and the value but no place in the script (the value is the
 * command line's fault, not the getopt() call's).
 */
function value(decl: GetoptDeclaration, config: RuntimeConfig): boolean | bigint | string {
  const given = config.namedParams?.[decl.name];
  if (given === undefined) return decl.default;
  const fail = (problem: string): never => {
    throw new CompileError([{ severity: 'ERROR', message: `program command line option --${decl.name} ${problem} (value: ${given === true ? 'true' : given})` }]);
  };
  switch (decl.kind) {
    case 'bool': {
      if (given === true) return true;
      const word = given.toLowerCase();
      if (['1', 'true', 'on', 'yes'].includes(word)) return true;
      if (['0', 'false', 'off', 'no'].includes(word)) return false;
      return fail("expects a boolean (e.g. 'true')");
    }
    case 'int': {
      if (given === true) return fail('expects an integer');
      if (!/^-?(0x[0-9a-fA-F]+|\d+)$/.test(given)) return fail(/^-?\d/.test(given) ? 'invalid trailing bytes' : 'invalid integer');
      const v = given.startsWith('-') ? -BigInt(given.slice(1)) : BigInt(given);
      // Up to 2^64-1 (then the option is a uint64), as upstream.
      if (v < -(1n << 63n) || v >= 1n << 64n) return fail('value is out of range');
      return v;
    }
    case 'string':
      if (given === true) return fail('expects a string');
      return given;
  }
}

// Defaults seen per compile (the config object is new for every compile), to
// refuse one option declared with two defaults.
const seenDefaults = new WeakMap<RuntimeConfig, Map<string, GetoptDeclaration>>();

function declare(args: BuiltinArgNode[], tc: CheckContext, span: Span): GetoptDeclaration {
  expectArgs('getopt', args, 1, 3, tc, span);
  const d = getoptDeclaration(args);
  if ('error' in d) return tc.fail(d.error, d.at.span);
  let seen = seenDefaults.get(tc.config);
  if (!seen) seenDefaults.set(tc.config, (seen = new Map()));
  const prev = seen.get(d.name);
  if (prev && (prev.kind !== d.kind || prev.default !== d.default)) {
    tc.fail(`Command line option '${d.name}' needs to have the same default value in all places it is used. Previous default value: ${show(prev.default)}`, span);
  }
  seen.set(d.name, d);
  return d;
}

function resultType(decl: GetoptDeclaration, v: boolean | bigint | string): ValueType {
  if (decl.kind === 'bool') return types.boolType;
  if (decl.kind === 'int') return typeof v === 'bigint' && v >= 1n << 63n ? types.uint64 : types.int64;
  return types.stringType(Buffer.byteLength(String(v)) + 1);
}

export const getopt: Builtin = {
  name: 'getopt',
  doc: `:variant bool getopt(string arg_name)
:variant bool getopt(string arg_name, bool default_value, [string description])
:variant int getopt(string arg_name, int default_value, [string description])
:variant string getopt(string arg_name, string default_value, [string description])
**compile time**

The value of the named program option \`--arg_name\` given after \`--\` on the
command line, of the default value's type; the default when the option is
not given. Without a default the option is a flag: \`false\` unless given
(\`--arg_name\`, \`--arg_name=true\` or \`=1\`). \`-h\` with the script lists its
options and their descriptions.

\`\`\`
bpfscript -e 'begin { printf("%d\\n", getopt("depth", 3, "how deep")); }' -- --depth=5
\`\`\``,
  check(args, tc, span) {
    const d = declare(args, tc, span);
    return resultType(d, value(d, tc.config));
  },
  constant(args, tc) {
    const d = getoptDeclaration(args);
    if ('error' in d) return undefined;
    const v = value(d, tc.config);
    return typeof v === 'boolean' ? (v ? 1n : 0n) : v;
  },
  emit() {
    throw new Error('getopt() is folded at compile time');
  },
};
