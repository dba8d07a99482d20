// What the type pass hands to codegen (the typed program: per-instance
// expression, variable and constant tables, and the maps' key and value
// types) and what it is given (CheckOptions). Codegen reads these and never
// re-derives a type.
import type * as A from '../../syntax/ast.ts';
import type { DiagnosticBag, Span } from '../../diagnostics/index.ts';
import type { MapValueKind, ValueType } from '../../manifest/index.ts';
import type { Builtin, ContextValue, KernelMember, KernelTypes, ProviderEnv, RuntimeConfig } from '../../../sdk/index.ts';
import type { ProbeInstance } from '../../probes/index.ts';

export interface MapTypeInfo {
  name: string;
  keyType?: ValueType;
  /** Undefined until an assignment gives the map a value. */
  value?: MapValueKind;
  /** From `let @m = lruhash(n)`: BPF map flavor and size. */
  declared?: { mapType: string; maxEntries?: number };
  span: Span;
  /** Whether the map is keyed; fixed by first use. */
  keyed?: boolean;
  /**
   * The key as its first use wrote it, for messages: several keys as a tuple
   * of their own types (`(int8,string[3])`, as upstream names them), while
   * `keyType` stores their integers as 64 bits.
   */
  keyWritten?: ValueType;
}

export interface InstanceTypes {
  instance: ProbeInstance;
  exprTypes: Map<A.Expr, ValueType>;
  /** Scratch variables by unique id (`$x`, or `$x#2` for a second, block-scoped `$x`). */
  varTypes: Map<string, ValueType>;
  /** The variable id each Variable node refers to. */
  varIds: Map<A.Variable, string>;
  /** Builtins resolved for Call and Identifier nodes. */
  builtins: Map<A.Expr, Builtin>;
  /** Context identifiers resolved by the provider. */
  context: Map<A.Expr, ContextValue>;
  /** Folded integer constants. */
  constants: Map<A.Expr, bigint>;
  /** Folded string constants (literals, `probetype`, typeinfo fields, `==` of constants). */
  strings: Map<A.Expr, string>;
  /** Compile-time records (typeinfo): field name -> constant. */
  records: Map<A.Expr, [string, bigint | string][]>;
  /** The branch `if comptime` / `comptime c ? a : b` took (true: then). */
  comptimeBranches: Map<A.If | A.IfExpr | A.Ternary, boolean>;
  /** Types written with `typeof(expr)`, resolved. */
  typeofs: Map<A.TypeofType, ValueType>;
  /** Pointer arithmetic (`p + n`, `$p += n`, `$p++`): the element size n is scaled by. */
  pointerSteps: Map<A.Binary | A.Assign | A.Update, number>;
  /** Kernel struct members read by FieldAccess nodes (through BTF). */
  members: Map<A.FieldAccess, KernelMember>;
}

export interface TypedProgram {
  instances: InstanceTypes[];
  maps: Map<string, MapTypeInfo>;
  warnings: DiagnosticBag;
}

export interface CheckOptions {
  builtins: ReadonlyMap<string, Builtin>;
  env: ProviderEnv;
  config: RuntimeConfig;
  /** Positional parameters ($1...). */
  positional: string[];
  hasChildProcess: boolean;
  kernelTypes: KernelTypes;
  /** Last resort for an identifier nothing else defines (kernel enumerators by name): a builtin, or undefined. */
  fallbackIdentifier?: (name: string) => Builtin | undefined;
  /** Asks the kernel whether a program of `section` may call kfunc `name` (the runtime's probe); false without it. */
  kfuncAllowed?: (name: string, section: string) => boolean;
}
