// The builtin contract. A builtin gives a name (`pid`, `printf`, `hist`) a type
// rule and a C emission; the core calls it through these two contexts and never
// special-cases a builtin by name. Aggregations (`count`, `hist`) add an
// `aggregate` part used when the call is assigned to a map.
import type { Span } from '../core/diagnostics/index.ts';
import type { Expr, MapRef, TypeArg } from '../core/syntax/ast.ts';
import type { Action, MapInfo, MapValueKind, ValueType } from '../core/manifest/index.ts';
import type { ExpandedProbe } from './provider.ts';
import type { RuntimeConfig } from './config.ts';
import type { KernelTypes } from './kernel-types.ts';

export type BuiltinArgNode = Expr | TypeArg;

export interface CheckContext {
  readonly probe: ExpandedProbe;
  /**
   * The probes whose program this probe shares (a multi-attach group,
   * ExpandedProbe.multiAttach), itself among them; just itself otherwise. A
   * value of the probe's own (its name) is typed as wide as theirs, so that
   * their C is the same but for the values.
   */
  readonly probeGroup: readonly ExpandedProbe[];
  readonly config: RuntimeConfig;
  /** Kernel types from BTF (`curtask` is a `struct task_struct *`). */
  readonly kernelTypes: KernelTypes;
  /** Whether this probe's program may call kfunc `name`, as the kernel's verifier answers (false when it cannot be asked). */
  kfuncAllowed(name: string): boolean;
  /** Type-checks an argument expression and returns its type. */
  typeOf(node: Expr): ValueType;
  /**
   * The map an argument names (must be a MapRef); its key type may still be
   * unknown. `keyed`: whether the program uses it with keys (`@m[k]`) or as a
   * scalar map (`@m`), when a use so far tells.
   */
  map(node: BuiltinArgNode): { name: string; keyType?: ValueType; value?: MapValueKind; keyed?: boolean };
  /** Checks keys used to index a map (as in `@m[k1, k2]`); returns the map's key type. */
  mapKey(map: BuiltinArgNode, keys: Expr[], span: Span): ValueType | undefined;
  /** The integer value of a constant argument (literal or folded), or undefined. */
  constant(node: Expr): bigint | undefined;
  /** The text of a constant string argument (a literal, or folded: `typeinfo(x).base_type`), or undefined. */
  constantString(node: Expr): string | undefined;
  /** Whether the session runs a child with -c (so `cpid` has a value). */
  readonly hasChildProcess: boolean;
  /** Throws a located diagnostic. */
  fail(message: string, span: Span): never;
  warn(message: string, span: Span): void;
}

export interface EmitContext {
  readonly probe: ExpandedProbe;
  /**
   * The probes whose program this probe shares (a multi-attach group,
   * ExpandedProbe.multiAttach), itself among them; just itself otherwise. A
   * value of the probe's own (its name) is typed as wide as theirs, so that
   * their C is the same but for the values.
   */
  readonly probeGroup: readonly ExpandedProbe[];
  readonly config: RuntimeConfig;
  /** Kernel types from BTF (a kernel variable's type, to declare it). */
  readonly kernelTypes: KernelTypes;
  /** C expression evaluating an argument (value semantics: structs for strings/tuples). */
  expr(node: Expr): string;
  typeOf(node: Expr): ValueType;
  /** C type name for a value type. */
  ctype(type: ValueType): string;
  /** The map behind a MapRef argument. */
  map(node: BuiltinArgNode): MapInfo;
  /** A C expression of the map's BPF key type for `@m[keys...]` (`0` for a scalar map). */
  mapKey(map: BuiltinArgNode, keys: Expr[]): { cType: string; c: string };
  /** Wraps a helper call (`bpf_probe_read_user_str(...)`) so `-k` reports its failures (a `HelperErrorAction`); returns it unchanged otherwise. */
  checkHelper(helper: string, call: string, span: Span): string;
  /** Adds a file-scope C declaration (deduplicated), e.g. a kfunc prototype. */
  declare(c: string): void;
  /**
   * Registers an async action of any kind with its own fields (the Manifest
   * carries them to user space, where the ActionHandler of `kind` gets them);
   * returns its id.
   */
  action(action: NewAction): number;
  /**
   * C statement sending an event record `{ u64 id; fields... }` to the ring
   * buffer; each field is a C expression of the given type. Returns the C code
   * and the layout (offsets) of the fields in the record.
   */
  event(actionId: number, fields: { type: ValueType; c: string }[]): { c: string; offsets: number[] };
  /**
   * A fresh local variable of the given type, declared at the top of the
   * program; for a value too big for the stack (a string of a large
   * max_strlen), an lvalue in the probe's per-CPU frame.
   */
  temp(type: ValueType): string;
  /**
   * C expression that sets lvalue `dst` of type `type` to `src`. A big value
   * (one temp() puts in the frame) is an lvalue and is copied by a helper:
   * BPF cannot copy it inline.
   */
  assign(type: ValueType, dst: string, src: string): string;
  /** Whether values of `type` live in the probe's frame (too big for the stack): temp() gives an lvalue there. */
  inFrame(type: ValueType): boolean;
  /** C expression for a run-time setting in .rodata (`cpid`, `start_ns`). */
  setting(name: 'cpid' | 'start_ns' | 'ncpus'): string;
  /** The probe name as a C string value. */
  probeName(): string;
  constant(node: Expr): bigint | undefined;
  /**
   * For an expression denoting a kernel struct in memory (`args.file->f_path`):
   * a u64 C expression of its address, 0 when a pointer on the way is NULL;
   * undefined for values on the stack. BTF helpers (bpf_d_path) accept it.
   */
  address(node: Expr): string | undefined;
}

export interface Aggregation {
  /** The map value kind this call produces (`count`, `hist` with its parameters...). */
  valueKind(args: BuiltinArgNode[], tc: CheckContext, span: Span): MapValueKind;
  /**
   * C expression updating the map. `map` is the C name of the map, `key` the
   * name of a local holding the BPF key (for hist/lhist its `bucket` member is
   * set by this expression). Its value is a long: negative (the helper's
   * error, -E2BIG for a full map) when a new key could not be stored, which
   * the core reports as a failed map_update_elem; 0 otherwise.
   */
  emitUpdate(args: BuiltinArgNode[], ec: EmitContext, map: string, key: string, kind: MapValueKind): string;
}

export interface Builtin {
  readonly name: string;
  /**
   * Reference documentation, in the form the standard library's `.bt` files
   * use above a macro (stdlib/docs.ts): `:variant` lines, one signature each
   * (`:variant uint32 pid([curr_ns|init])`), then a description in Markdown.
   * `npm run docs` puts it in docs/stdlib.md and `--help NAME` prints it.
   */
  readonly doc?: string;
  /**
   * Set by a package's builtin that replaces a built-in one of the same name
   * on purpose: the import then warns instead of refusing (docs/sdk.md, "Overrides").
   */
  readonly override?: boolean;
  /** May be used without parentheses (`pid`, `comm`); all zero-argument builtins may. */
  readonly bareword?: boolean;
  /** Type rule: returns the call's type, or fails with a located diagnostic. */
  check(args: BuiltinArgNode[], tc: CheckContext, span: Span): ValueType;
  /** C expression of the call (a GNU statement expression when it needs statements). */
  emit(args: BuiltinArgNode[], ec: EmitContext, span: Span): string;
  /**
   * C of the call standing alone as a statement, its value unused
   * (`delete(@m, k);`), when that differs from `emit`: `delete` then reports
   * its failure, which nobody else can see.
   */
  emitStatement?(args: BuiltinArgNode[], ec: EmitContext, span: Span): string;
  /** A compile-time value (`probetype`, `arch`, `is_literal(x)`); the call then folds to it. */
  constant?(args: BuiltinArgNode[], tc: CheckContext): bigint | string | undefined;
  /** Present for map aggregations (`@x = count()`). */
  readonly aggregate?: Aggregation;
  /** Whether the call ends the probe (exit): refused where that cannot be done, in map loops. */
  readonly endsProbe?: boolean;
  /** Whether the call may only stand as a statement (printf, exit). */
  readonly statementOnly?: boolean;
}

/** An action as a builtin registers it: its kind and fields; the core gives it its id. */
export type NewAction<A extends Action = Action> = Omit<A, 'id'> & { [field: string]: unknown };

/**
 * The action of `-k`'s helper-error reports (`checkHelper`): each record holds
 * the failed helper's s64 return value at offset 8.
 */
export interface HelperErrorAction extends Action {
  kind: 'helper_error';
  /** The helper's name without `bpf_` (`probe_read_kernel`). */
  helper: string;
  /** The call in the script. */
  span?: Span;
}

/** The script's syntax a builtin gets its arguments in. */
export type { Expr, MapRef, TypeArg } from '../core/syntax/ast.ts';

/** Whether an argument is an expression (not a type, as in `sizeof(struct task_struct)`). */
export function isExpr(n: BuiltinArgNode | undefined): n is Expr {
  return n !== undefined && n.kind !== 'TypeArg';
}

/**
 * The action of an error the program finds at run time itself (a division by
 * zero, an array index out of bounds): a record without fields, reported as
 * a WARNING with `message` at the expression, as bpftrace's runtime errors.
 */
export interface RuntimeErrorAction extends Action {
  kind: 'runtime_error';
  message: string;
  span?: Span;
}

export function isMapRef(n: BuiltinArgNode | undefined): n is MapRef {
  return n?.kind === 'MapRef';
}
