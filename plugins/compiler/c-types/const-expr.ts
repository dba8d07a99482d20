// Evaluates the body of an object-like C macro as a constant: integer
// literals (with C suffixes), character and string literals, other macros,
// enumerators, casts to integer types, sizeof of a type, and C's operators,
// with 64-bit two's complement arithmetic and C's unsigned rules.

export type ConstValue = { kind: 'int'; value: bigint; unsigned: boolean } | { kind: 'string'; value: string };

export class ConstExprError extends Error {}

/** What an identifier or a type name in the expression means. */
export interface ConstResolver {
  /** Another macro's value, an enumerator's; undefined when unknown. */
  identifier(name: string): ConstValue | undefined;
  /** An integer type by its C spelling (`unsigned int`, `u32`): its size and signedness. */
  integerType(spelling: string): { size: number; signed: boolean } | undefined;
  /** sizeof a type by its C spelling. */
  sizeOfType(spelling: string): number | undefined;
}

const TOKEN = /\s+|(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)([uUlL]*)|([A-Za-z_]\w*)|("(?:[^"\\]|\\.)*")|('(?:[^'\\]|\\.)+')|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>&|^~!?:(),])/y;

interface Token {
  kind: 'num' | 'ident' | 'str' | 'char' | 'op';
  text: string;
  value?: bigint;
  unsigned?: boolean;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new ConstExprError(`unexpected '${text.slice(at, at + 10)}'`);
    if (m[1] !== undefined) {
      const digits = m[1];
      const value = /^0\d/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
      const suffix = m[2]!.toLowerCase();
      if (!/^(u?l{0,2}|l{1,2}u)$/.test(suffix)) throw new ConstExprError(`invalid integer suffix '${m[2]}'`);
      // A hex/octal literal that does not fit a signed 64-bit integer is unsigned, as in C.
      out.push({ kind: 'num', text: m[0], value: BigInt.asUintN(64, value), unsigned: suffix.includes('u') || value > 0x7fffffffffffffffn });
    } else if (m[3] !== undefined) out.push({ kind: 'ident', text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'str', text: m[4] });
    else if (m[5] !== undefined) out.push({ kind: 'char', text: m[5] });
    else if (m[6] !== undefined) out.push({ kind: 'op', text: m[6] });
  }
  return out;
}

/** The characters of a C string or character literal body, escapes decoded (bytes as latin1). */
function unescapeC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16) & 0xff);
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '0': '\0' };
    return simple[e] ?? e;
  });
}

const TYPE_WORDS = new Set(['unsigned', 'signed', 'int', 'long', 'short', 'char', 'const', 'volatile', 'struct', 'union', 'enum', '_Bool']);

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly resolver: ConstResolver,
  ) {}

  parse(): ConstValue {
    const v = this.ternary();
    if (this.i < this.tokens.length) throw new ConstExprError(`unexpected '${this.tokens[this.i]!.text}'`);
    return v;
  }

  private peek(text?: string): Token | undefined {
    const t = this.tokens[this.i];
    return text === undefined || t?.text === text ? t : undefined;
  }

  private take(text: string): void {
    if (this.tokens[this.i]?.text !== text) throw new ConstExprError(`expected '${text}'`);
    this.i++;
  }

  private ternary(): ConstValue {
    const cond = this.binary(0);
    if (!this.peek('?')) return cond;
    this.i++;
    const a = this.ternary();
    this.take(':');
    const b = this.ternary();
    return truthy(cond) ? a : b;
  }

  private static readonly LEVELS: string[][] = [
    ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
  ];

  private binary(level: number): ConstValue {
    if (level === Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.tokens[this.i];
      if (!t || t.kind !== 'op' || !Parser.LEVELS[level]!.includes(t.text)) return left;
      this.i++;
      const right = this.binary(level + 1);
      left = applyBinary(t.text, left, right);
    }
  }

  private unary(): ConstValue {
    const t = this.tokens[this.i];
    if (!t) throw new ConstExprError('unexpected end of expression');
    if (t.kind === 'op' && ['-', '+', '~', '!'].includes(t.text)) {
      this.i++;
      const v = integer(this.unary(), t.text);
      switch (t.text) {
        case '-': return wrap(-v.value, v.unsigned);
        case '+': return { kind: 'int', ...v };
        case '~': return wrap(~v.value, v.unsigned);
        default: return { kind: 'int', value: v.value === 0n ? 1n : 0n, unsigned: false };
      }
    }
    if (t.kind === 'ident' && t.text === 'sizeof') {
      this.i++;
      const spelling = this.parenthesisedType();
      if (spelling === undefined) throw new ConstExprError('sizeof needs a type in parentheses');
      const size = this.resolver.sizeOfType(spelling);
      if (size === undefined) throw new ConstExprError(`unknown type '${spelling}'`);
      return { kind: 'int', value: BigInt(size), unsigned: true };
    }
    if (t.text === '(') {
      const cast = this.castType();
      if (cast) {
        const v = integer(this.unary(), 'a cast');
        const bits = BigInt(cast.size * 8);
        return { kind: 'int', value: BigInt.asUintN(64, cast.signed ? BigInt.asIntN(Number(bits), v.value) : BigInt.asUintN(Number(bits), v.value)), unsigned: !cast.signed };
      }
      this.i++;
      const v = this.ternary();
      this.take(')');
      return v;
    }
    return this.primary();
  }

  /** At `(`: the type spelled inside when the parentheses hold one (and moves past them), else undefined. */
  private parenthesisedType(): string | undefined {
    if (!this.peek('(')) return undefined;
    let j = this.i + 1;
    const words: string[] = [];
    while (j < this.tokens.length && (this.tokens[j]!.kind === 'ident' || this.tokens[j]!.text === '*')) words.push(this.tokens[j++]!.text);
    if (words.length === 0 || this.tokens[j]?.text !== ')') return undefined;
    const spelling = words.join(' ').replace(/ \*/g, '*');
    const isType = words.some((w) => TYPE_WORDS.has(w)) || words.includes('*') || this.resolver.integerType(spelling) !== undefined || this.resolver.sizeOfType(spelling) !== undefined;
    if (!isType) return undefined;
    this.i = j + 1;
    return spelling;
  }

  private castType(): { size: number; signed: boolean } | undefined {
    const start = this.i;
    const spelling = this.parenthesisedType();
    if (spelling === undefined) return undefined;
    if (spelling.endsWith('*')) return { size: 8, signed: false };
    const t = this.resolver.integerType(spelling.replace(/\b(const|volatile)\b\s*/g, '').trim());
    if (!t) {
      this.i = start;
      throw new ConstExprError(`cannot cast to '${spelling}'`);
    }
    return t;
  }

  private primary(): ConstValue {
    const t = this.tokens[this.i++]!;
    switch (t.kind) {
      case 'num':
        return { kind: 'int', value: t.value!, unsigned: t.unsigned! };
      case 'char': {
        const chars = unescapeC(t.text.slice(1, -1));
        // A one-character constant is an int; bytes are signed (char is signed here).
        return { kind: 'int', value: BigInt.asUintN(64, BigInt(chars.length === 1 ? (chars.charCodeAt(0) << 24) >> 24 : chars.charCodeAt(chars.length - 1))), unsigned: false };
      }
      case 'str': {
        // Adjacent string literals are one string, as in C.
        let s = unescapeC(t.text.slice(1, -1));
        while (this.tokens[this.i]?.kind === 'str') s += unescapeC(this.tokens[this.i++]!.text.slice(1, -1));
        return { kind: 'string', value: s };
      }
      case 'ident': {
        const v = this.resolver.identifier(t.text);
        if (!v) throw new ConstExprError(`'${t.text}' is not a constant`);
        return v;
      }
      default:
        throw new ConstExprError(`unexpected '${t.text}'`);
    }
  }
}

function truthy(v: ConstValue): boolean {
  return v.kind === 'string' || v.value !== 0n;
}

function integer(v: ConstValue, where: string): { value: bigint; unsigned: boolean } {
  if (v.kind !== 'int') throw new ConstExprError(`a string cannot be an operand of ${where.length === 1 ? `'${where}'` : where}`);
  return v;
}

function wrap(value: bigint, unsigned: boolean): ConstValue {
  return { kind: 'int', value: BigInt.asUintN(64, value), unsigned };
}

function applyBinary(op: string, l: ConstValue, r: ConstValue): ConstValue {
  const a = integer(l, op);
  const b = integer(r, op);
  const unsigned = a.unsigned || b.unsigned;
  // Values are stored as u64 bit patterns; signed operations see them as s64.
  const x = unsigned ? a.value : BigInt.asIntN(64, a.value);
  const y = unsigned ? b.value : BigInt.asIntN(64, b.value);
  const bool = (c: boolean): ConstValue => ({ kind: 'int', value: c ? 1n : 0n, unsigned: false });
  switch (op) {
    case '||': return bool(x !== 0n || y !== 0n);
    case '&&': return bool(x !== 0n && y !== 0n);
    case '|': return wrap(x | y, unsigned);
    case '^': return wrap(x ^ y, unsigned);
    case '&': return wrap(x & y, unsigned);
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
    case '<': return bool(x < y);
    case '<=': return bool(x <= y);
    case '>': return bool(x > y);
    case '>=': return bool(x >= y);
    case '+': return wrap(x + y, unsigned);
    case '-': return wrap(x - y, unsigned);
    case '*': return wrap(x * y, unsigned);
    case '<<':
    case '>>': {
      const n = BigInt.asIntN(64, b.value);
      if (n < 0n || n > 63n) throw new ConstExprError(`shift count ${n} is out of range`);
      // The result has the left operand's type.
      const base = a.unsigned ? a.value : BigInt.asIntN(64, a.value);
      return wrap(op === '<<' ? base << n : base >> n, a.unsigned);
    }
    default: {
      if (y === 0n) throw new ConstExprError('division by zero');
      return wrap(op === '/' ? x / y : x % y, unsigned);
    }
  }
}

/** Evaluates a macro body (already known to be object-like). */
export function evaluateConstant(body: string, resolver: ConstResolver): ConstValue {
  const tokens = tokenize(body);
  if (tokens.length === 0) throw new ConstExprError('the macro has no value');
  return new Parser(tokens, resolver).parse();
}
