// The bpftrace AST. Every node has a `kind` discriminant and a source `span`.
// Attach points stay raw text: each probe provider parses its own syntax, so a
// third-party provider needs no grammar change.
import type { Span } from '../diagnostics/index.ts';

export interface NodeBase {
  span: Span;
}

// ---------------------------------------------------------------- top level

export interface Program extends NodeBase {
  kind: 'Program';
  /** In source order: preprocessor lines, C definitions, config, imports, probes, macros, map declarations, functions. */
  items: TopLevel[];
}

export type TopLevel =
  | PreprocessorLine
  | CDefinition
  | ConfigBlock
  | Import
  | Probe
  | MacroDef
  | MapDecl
  | FnDef;

/** `#include <...>`, `#define X 1`, `#ifdef ...`: the whole line, kept raw for the C preprocessor. */
export interface PreprocessorLine extends NodeBase {
  kind: 'PreprocessorLine';
  text: string;
}

/** `struct Foo { ... };`, `union`, `enum`, `typedef`: C text kept raw (the type passes parse it). */
export interface CDefinition extends NodeBase {
  kind: 'CDefinition';
  /** 'struct' | 'union' | 'enum' | 'typedef' */
  keyword: 'struct' | 'union' | 'enum' | 'typedef';
  /** The tag or typedef name, when there is one. */
  name?: string;
  text: string;
}

/** `config = { max_strlen = 128; missing_probes = warn }` */
export interface ConfigBlock extends NodeBase {
  kind: 'ConfigBlock';
  entries: ConfigEntry[];
}
export interface ConfigEntry extends NodeBase {
  kind: 'ConfigEntry';
  key: string;
  /** An Integer, String, Bool or Identifier (bare word such as `warn`). */
  value: Expr;
}

/** `import "x.bt";` (top level, or a statement inside a macro). */
export interface Import extends NodeBase {
  kind: 'Import';
  path: string;
}

export interface Probe extends NodeBase {
  kind: 'Probe';
  attachPoints: AttachPoint[];
  predicate?: Expr;
  body: Block;
}

/** One attach point as written (`tracepoint:syscalls:sys_enter_openat`, `i:ms:100`, `BEGIN`). */
export interface AttachPoint extends NodeBase {
  kind: 'AttachPoint';
  raw: string;
}

export type MacroParam =
  | { kind: 'ExprParam'; name: string; span: Span }
  | { kind: 'VarParam'; name: string; span: Span } // `$x`, includes the `$`
  | { kind: 'MapParam'; name: string; span: Span }; // `@m`, includes the `@`

/** `macro name(params) { stmts; [expr] }` — the body's trailing expression is the value. */
export interface MacroDef extends NodeBase {
  kind: 'MacroDef';
  name: string;
  params: MacroParam[];
  body: BlockExpr;
}

/** `let @m = lruhash(100);` */
export interface MapDecl extends NodeBase {
  kind: 'MapDecl';
  map: MapRef;
  /** `hash`, `lruhash`, `percpuhash`, `percpulruhash`, ... */
  mapType: string;
  args: Expr[];
}

/** Undocumented upstream subprograms: `fn f($a: uint8): void { ... }` */
export interface FnDef extends NodeBase {
  kind: 'FnDef';
  name: string;
  params: { name: string; type: TypeExpr; span: Span }[];
  returnType: TypeExpr;
  body: Block;
}

// ---------------------------------------------------------------- statements

export type Stmt =
  | ExprStmt
  | Assign
  | LetDecl
  | If
  | While
  | Unroll
  | For
  | Break
  | Continue
  | Return
  | Block
  | Discard
  | Import;

export interface ExprStmt extends NodeBase {
  kind: 'ExprStmt';
  expr: Expr;
}

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=';

/** `$x = e`, `@m[k] += e`, `@ = e`. */
export interface Assign extends NodeBase {
  kind: 'Assign';
  target: Variable | MapRef | MapAccess;
  op: AssignOp;
  value: Expr;
}

/** `let $x;`, `let $x = e;`, `let $x: uint16 = e;` */
export interface LetDecl extends NodeBase {
  kind: 'LetDecl';
  variable: Variable;
  type?: TypeExpr;
  value?: Expr;
}

/** `if (c) {...} else ...`; `if comptime (c) {...}` sets `comptime`. */
export interface If extends NodeBase {
  kind: 'If';
  comptime: boolean;
  cond: Expr;
  then: Block;
  else?: Block | If;
}

export interface While extends NodeBase {
  kind: 'While';
  cond: Expr;
  body: Block;
}

export interface Unroll extends NodeBase {
  kind: 'Unroll';
  count: Expr;
  body: Block;
}

/** `for ($kv : @m) {...}` or `for ($i : 0..10) {...}` */
export interface For extends NodeBase {
  kind: 'For';
  variable: Variable;
  iterable: MapRef | Range;
  body: Block;
}
export interface Range extends NodeBase {
  kind: 'Range';
  from: Expr;
  to: Expr;
}

export interface Break extends NodeBase {
  kind: 'Break';
}
export interface Continue extends NodeBase {
  kind: 'Continue';
}
export interface Return extends NodeBase {
  kind: 'Return';
  value?: Expr;
}

export interface Block extends NodeBase {
  kind: 'Block';
  statements: Stmt[];
}

/** `_ = expr;` */
export interface Discard extends NodeBase {
  kind: 'Discard';
  expr: Expr;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | Integer
  | StringLit
  | Bool
  | Variable
  | PositionalParam
  | ParamCount
  | MapRef
  | MapAccess
  | Identifier
  | Call
  | Binary
  | Unary
  | Update
  | Ternary
  | FieldAccess
  | TupleIndex
  | Index
  | Cast
  | Tuple
  | Record
  | BlockExpr
  | IfExpr
  | Sizeof
  | Offsetof
  | Typeinfo
  | Comptime;

/** Integer literal; durations (`10ms`) are already converted to nanoseconds. */
export interface Integer extends NodeBase {
  kind: 'Integer';
  value: bigint;
  /** The literal as written, for messages and the formatter. */
  text: string;
}

/** String literal with escapes decoded (`\n`, `\x41`, `\101`). Bytes above 0x7f are chars 0x80..0xff. */
export interface StringLit extends NodeBase {
  kind: 'String';
  value: string;
}

export interface Bool extends NodeBase {
  kind: 'Bool';
  value: boolean;
}

/** `$x` (name includes the `$`). */
export interface Variable extends NodeBase {
  kind: 'Variable';
  name: string;
}

/** `$1`, `$2`, ... */
export interface PositionalParam extends NodeBase {
  kind: 'PositionalParam';
  index: number;
}

/** `$#` */
export interface ParamCount extends NodeBase {
  kind: 'ParamCount';
}

/** `@name` or `@` (name is '@' for the anonymous map; includes the `@`). */
export interface MapRef extends NodeBase {
  kind: 'MapRef';
  name: string;
}

/** `@m[k]`, `@m[k1, k2]` (several keys mean a tuple key). */
export interface MapAccess extends NodeBase {
  kind: 'MapAccess';
  map: MapRef;
  keys: Expr[];
}

/** A bare word: builtin (`pid`, `comm`, `args`), zero-argument macro, enum or #define constant. */
export interface Identifier extends NodeBase {
  kind: 'Identifier';
  name: string;
}

/** `f(a, b)`; the callee is a name (builtin, macro, or `__c_function`). */
export interface Call extends NodeBase {
  kind: 'Call';
  callee: string;
  calleeSpan: Span;
  /** Arguments may be TypeArg for `typeof(...)`/type names passed to macros and builtins. */
  args: (Expr | TypeArg)[];
}

/** A type written where an argument is expected: `p_cast(typeof(uint8), -1)`, `sizeof(struct x)`. */
export interface TypeArg extends NodeBase {
  kind: 'TypeArg';
  type: TypeExpr;
}

export type BinaryOp =
  | '||' | '&&' | '|' | '^' | '&'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '<<' | '>>' | '+' | '-' | '*' | '/' | '%';

export interface Binary extends NodeBase {
  kind: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

/** `-x`, `!x`, `~x`, `*p` (deref), `&x` (address-of). */
export interface Unary extends NodeBase {
  kind: 'Unary';
  op: '-' | '!' | '~' | '*' | '&';
  operand: Expr;
}

/** `x++`, `--x`, on a variable or map entry. */
export interface Update extends NodeBase {
  kind: 'Update';
  op: '++' | '--';
  prefix: boolean;
  target: Variable | MapRef | MapAccess;
}

/** `c ? a : b`; `a ?: b` has no `then` (the condition's value is used). `comptime c ? a : b` sits inside Comptime. */
export interface Ternary extends NodeBase {
  kind: 'Ternary';
  cond: Expr;
  then?: Expr;
  else: Expr;
}

/** `x.f` or `x->f` (both deref pointers in bpftrace). */
export interface FieldAccess extends NodeBase {
  kind: 'FieldAccess';
  object: Expr;
  field: string;
  arrow: boolean;
}

/** `t.0` */
export interface TupleIndex extends NodeBase {
  kind: 'TupleIndex';
  object: Expr;
  index: number;
}

/** `a[i]` on an array, pointer or string (map access is MapAccess). */
export interface Index extends NodeBase {
  kind: 'Index';
  object: Expr;
  index: Expr;
}

export interface Cast extends NodeBase {
  kind: 'Cast';
  type: TypeExpr;
  expr: Expr;
}

/** `(a, b)`, `(a,)`, `()` */
export interface Tuple extends NodeBase {
  kind: 'Tuple';
  elements: Expr[];
}

/** `(a = 1, b = "x")` */
export interface Record extends NodeBase {
  kind: 'Record';
  fields: { name: string; value: Expr; span: Span }[];
}

/** `{ stmts; expr }` — a block whose last expression (if any) is its value. */
export interface BlockExpr extends NodeBase {
  kind: 'BlockExpr';
  statements: Stmt[];
  value?: Expr;
}

/** `if` used as an expression: `$x = if (c) { 1 } else { 2 };` */
export interface IfExpr extends NodeBase {
  kind: 'IfExpr';
  comptime: boolean;
  cond: Expr;
  then: BlockExpr;
  else: BlockExpr | IfExpr;
}

/** `sizeof(T)` or `sizeof(expr)` */
export interface Sizeof extends NodeBase {
  kind: 'Sizeof';
  target: TypeExpr | Expr;
}

/** `offsetof(struct Foo, a.b.c)` or `offsetof($x, f)` */
export interface Offsetof extends NodeBase {
  kind: 'Offsetof';
  target: TypeExpr | Expr;
  path: string[];
}

/** `typeinfo(T)` or `typeinfo(expr)` */
export interface Typeinfo extends NodeBase {
  kind: 'Typeinfo';
  target: TypeExpr | Expr;
}

/** `comptime expr` */
export interface Comptime extends NodeBase {
  kind: 'Comptime';
  expr: Expr;
}

// ---------------------------------------------------------------- types

export type TypeExpr = NamedType | PointerType | ArrayType | TypeofType;

/** `uint32`, `string[64]` (size), `buffer[16]`, `struct task_struct`, `union u`, `enum e`, `bool`, `void`, a typedef name. */
export interface NamedType extends NodeBase {
  kind: 'NamedType';
  name: string;
  /** For `string[N]` / `buffer[N]`. */
  size?: number;
}
export interface PointerType extends NodeBase {
  kind: 'PointerType';
  pointee: TypeExpr;
}
/** `int32[4]`; `length` absent for `int8[]` (size taken from the operand in casts). */
export interface ArrayType extends NodeBase {
  kind: 'ArrayType';
  element: TypeExpr;
  length?: number;
}
export interface TypeofType extends NodeBase {
  kind: 'TypeofType';
  target: TypeExpr | Expr;
}

export type Node = Program | TopLevel | Stmt | Expr | TypeExpr | TypeArg | ConfigEntry | Range;

export function isTypeExpr(n: { kind: string }): n is TypeExpr {
  return n.kind === 'NamedType' || n.kind === 'PointerType' || n.kind === 'ArrayType' || n.kind === 'TypeofType';
}
