// Reads clang's preprocessed output (`clang -E -dD`) of a script's C text:
// the macros it defines (with where), and the types and enumerators its
// declarations define at file scope, headers included. This is not a C
// parser: it only follows braces, parentheses and statement ends, which is
// enough to know which tags, typedef names and anonymous enums exist, so
// that one dummy global per type can make clang put each into BTF.

/** An object-like (`params` undefined) or function-like macro, where it was defined. */
export interface MacroDefinition {
  name: string;
  params?: string[];
  body: string;
  file: string;
  line: number;
}

/** An anonymous enum (no tag, no typedef): its enumerators, and a name for messages. */
export interface AnonymousEnum {
  name: string;
  enumerators: string[];
}

export interface ScanResult {
  /** `struct Foo`, `union U`, `enum E`: defined with a body. */
  tags: Set<string>;
  /** Tags only declared (`struct Foo;`), never defined. */
  declared: Set<string>;
  typedefs: Set<string>;
  enumerators: Set<string>;
  anonymousEnums: AnonymousEnum[];
  /** Macros alive at the end of the text (not the compiler's own), in definition order. */
  macros: Map<string, MacroDefinition>;
  /** Every file the text came from (the script's and the headers it included). */
  files: Set<string>;
}

const TOKEN = /\s+|([A-Za-z_$][\w$]*)|((?:\.?\d)(?:[eEpP][+-]|[\w.])*)|("(?:[^"\\\n]|\\.)*")|('(?:[^'\\\n]|\\.)*')|(\S)/y;
const MARKER = /^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"/;
const DEFINE = /^#\s*define\s+([A-Za-z_]\w*)(\(([^)]*)\))?[ \t]?(.*)$/;
const UNDEF = /^#\s*undef\s+([A-Za-z_]\w*)/;

/** Words that are never a declarator's name. */
const C_WORDS = new Set([
  'auto', 'char', 'const', 'double', 'enum', 'extern', 'float', 'inline', 'int', 'long', 'register', 'restrict',
  'short', 'signed', 'static', 'struct', 'typedef', 'union', 'unsigned', 'void', 'volatile', '_Bool', '_Atomic',
  '_Alignas', '_Noreturn', '_Thread_local', '__extension__', '__restrict', '__restrict__', '__inline', '__inline__',
  '__volatile__', '__const', '__signed__', '__attribute__', '__attribute', '__declspec', '__int128', '_Float16', '__bf16',
]);

interface Brace {
  /** A struct/union/enum body (file-scope names inside), or anything else (function bodies, initializers: skipped). */
  tag: boolean;
  kind?: 'struct' | 'union' | 'enum';
  name?: string;
  /** An anonymous enum that is the type of a typedef at file scope: named by its typedef, not listed as anonymous. */
  typedefType?: boolean;
  line: number;
  file: string;
  enumerators?: string[];
  expectEnumerator?: boolean;
  parens?: number;
}

/** Tokens of the statement at file scope, with bodies left out; kept for typedef names. */
interface Statement {
  typedef: boolean;
  tokens: string[];
}

function unescapeMarkerFile(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** The names a typedef statement declares (`typedef struct {...} a, *b;`, `typedef void (*fn)(int);`). */
export function typedefNames(tokens: readonly string[]): string[] {
  const names: string[] = [];
  let segment: string[] = [];
  let depth = 0;
  const flush = () => {
    const name = declaratorName(segment);
    if (name) names.push(name);
    segment = [];
  };
  for (const t of tokens) {
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    if (t === ',' && depth === 0) flush();
    else segment.push(t);
  }
  flush();
  return names;
}

function declaratorName(tokens: readonly string[]): string | undefined {
  // `(*name)` / `(* const name)`: a pointer to a function or array.
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i] !== '(' || tokens[i + 1] !== '*') continue;
    for (let j = i + 2; j < tokens.length && tokens[j] !== ')'; j++) {
      if (isIdentifier(tokens[j]!) && !C_WORDS.has(tokens[j]!)) return tokens[j];
    }
  }
  let depth = 0;
  let name: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '__attribute__' || t === '__attribute') {
      // Skip the attribute's parenthesised arguments.
      let d = 0;
      for (i++; i < tokens.length; i++) {
        if (tokens[i] === '(') d++;
        else if (tokens[i] === ')' && --d === 0) break;
      }
      continue;
    }
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (depth === 0 && isIdentifier(t) && !C_WORDS.has(t)) name = t;
  }
  return name;
}

function isIdentifier(t: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(t);
}

export function scanPreprocessed(text: string): ScanResult {
  const result: ScanResult = { tags: new Set(), declared: new Set(), typedefs: new Set(), enumerators: new Set(), anonymousEnums: [], macros: new Map(), files: new Set() };
  const stack: Brace[] = [];
  let file = '';
  let line = 0;
  let pending: { kind: 'struct' | 'union' | 'enum'; name?: string; attr: number; line: number; file: string } | undefined;
  let stmt: Statement = { typedef: false, tokens: [] };
  const inFunction = () => stack.some((b) => !b.tag);

  for (const raw of text.split('\n')) {
    line++;
    const trimmed = raw.trimStart();
    if (trimmed.startsWith('#')) {
      const marker = MARKER.exec(trimmed);
      if (marker) {
        file = unescapeMarkerFile(marker[2]!);
        line = Number(marker[1]) - 1;
        if (!file.startsWith('<')) result.files.add(file);
        continue;
      }
      if (file === '<built-in>' || file === '<command line>') continue;
      const def = DEFINE.exec(trimmed);
      if (def) {
        const m: MacroDefinition = { name: def[1]!, body: def[4]!.trim(), file, line };
        if (def[2] !== undefined) m.params = def[3]!.split(',').map((p) => p.trim()).filter(Boolean);
        result.macros.delete(m.name);
        result.macros.set(m.name, m);
        continue;
      }
      const undef = UNDEF.exec(trimmed);
      if (undef) result.macros.delete(undef[1]!);
      continue;
    }
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(raw); m; m = TOKEN.exec(raw)) {
      if (m[0].trim() === '') continue;
      const tok = m[0];
      const top = stack[stack.length - 1];
      if (top && !top.tag) {
        // Inside a function body or initializer: only braces matter.
        if (tok === '{') stack.push({ tag: false, line, file });
        else if (tok === '}') stack.pop();
        continue;
      }
      if (top?.kind === 'enum') {
        if (tok === '(') top.parens = (top.parens ?? 0) + 1;
        else if (tok === ')') top.parens = (top.parens ?? 1) - 1;
        else if (tok === ',' && !top.parens) top.expectEnumerator = true;
        else if (top.expectEnumerator && isIdentifier(tok)) {
          top.enumerators!.push(tok);
          result.enumerators.add(tok);
          top.expectEnumerator = false;
        }
      }
      if (pending) {
        if (tok === '__attribute__' || tok === '__attribute') {
          pending.attr = -1; // its parentheses come next
          continue;
        }
        if (pending.attr !== 0) {
          if (tok === '(') pending.attr = pending.attr < 0 ? 1 : pending.attr + 1;
          else if (tok === ')') pending.attr--;
          continue;
        }
        if (isIdentifier(tok) && pending.name === undefined && !C_WORDS.has(tok)) {
          pending.name = tok;
          if (stack.length === 0) stmt.tokens.push(tok);
          continue;
        }
        if (tok === '{') {
          const kind = pending.kind;
          const name = pending.name;
          if (name) result.tags.add(`${kind} ${name}`);
          const brace: Brace = { tag: true, kind, name, line: pending.line, file: pending.file };
          if (kind === 'enum') {
            brace.enumerators = [];
            brace.expectEnumerator = true;
            brace.typedefType = !name && stack.length === 0 && stmt.typedef;
          }
          pending = undefined;
          stack.push(brace);
          continue;
        }
        pending = undefined;
      }
      if (tok === 'struct' || tok === 'union' || tok === 'enum') {
        pending = { kind: tok, attr: 0, line, file };
        if (stack.length === 0) stmt.tokens.push(tok);
        continue;
      }
      if (tok === '{') {
        // Not a struct/union/enum body: a function body or an initializer.
        stack.push({ tag: false, line, file });
        continue;
      }
      if (tok === '}') {
        const closed = stack.pop();
        if (closed?.kind === 'enum' && !closed.name && !closed.typedefType && closed.enumerators!.length > 0) {
          result.anonymousEnums.push({ name: `(anonymous at ${closed.file}:${closed.line})`, enumerators: closed.enumerators! });
        }
        if (stack.length === 0 && !inFunction() && closed && !closed.tag) stmt = { typedef: false, tokens: [] };
        continue;
      }
      if (stack.length > 0) continue;
      if (tok === ';') {
        if (stmt.typedef) for (const n of typedefNames(stmt.tokens)) result.typedefs.add(n);
        else if (stmt.tokens.length === 2 && /^(struct|union|enum)$/.test(stmt.tokens[0]!)) result.declared.add(stmt.tokens.join(' '));
        stmt = { typedef: false, tokens: [] };
        continue;
      }
      if (tok === 'typedef') stmt.typedef = true;
      else stmt.tokens.push(tok);
    }
  }
  for (const tag of result.tags) result.declared.delete(tag);
  return result;
}
