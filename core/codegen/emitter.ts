// Emits one BPF program (C function) for one probe instance from the typed AST.
// Expressions become C expressions with value semantics (GNU statement
// expressions where statements are needed); builtins emit themselves through
// the EmitContext.
//
// The ProbeEmitter holds one probe's state (the C lines written so far,
// temporaries, fresh names, the enclosing loops) and dispatches; each concept
// lives in its own file and receives the emitter, the way a compiler keeps its
// transformers apart: statements.ts, expressions.ts, operators.ts,
// map-access.ts, memory-reads.ts, kernel-reads.ts, conversions.ts, events.ts,
// builtin-context.ts.
import type * as A from '../syntax/ast.ts';
import { errorAt, type Span } from '../diagnostics/index.ts';
import type { ValueType } from '../manifest/index.ts';
import type { EmitContext, KernelTypes, RuntimeConfig } from '../../sdk/index.ts';
import type { InstanceTypes } from '../passes/types/index.ts';
import { isInteger } from '../types/index.ts';
import type { CTypeRegistry } from './ctypes.ts';
import type { ProgramState } from './state.ts';
import { assignValue, BIG_VALUE_C, isBig, needsFrame, ProbeFrame, stackValueLimit } from './big-values.ts';
import { builtinEmitContext } from './builtin-context.ts';
import { convertValue } from './conversions.ts';
import { checkHelper, emitEvent } from './events.ts';
import { emitExpr } from './expressions.ts';
import { containsMapFor, mapKeyValue, returnsFromMapFor } from './map-access.ts';
import { emitStmt } from './statements.ts';
import { exitGuard } from './exit-flag.ts';

export class ProbeEmitter {
  /** Declarations of the function's temporaries (`__s64 __end0 = 0`), emitted at its top. */
  temps: string[] = [];
  /** The function body's C lines, indented. */
  lines: string[] = [];
  indent = 1;
  private fresh = 0;
  /** Map `for` loops become callbacks of bpf_for_each_map_elem; locals then live in a struct both can reach. */
  readonly localsInStruct: boolean;
  /** Where the probe has big values, its locals struct lives in a per-CPU frame (big-values.ts). */
  readonly frame: ProbeFrame | undefined;
  /** Values larger than this many bytes are big (big-values.ts). */
  readonly stackLimit: number;
  /** The map-loop callback functions, emitted before the probe function. */
  readonly callbacks: string[] = [];
  /** Innermost loops first: 'map' for a callback body, 'c' for a C loop. */
  readonly loops: ('map' | 'c')[] = [];
  private emitContextCache?: EmitContext;
  /** Whether the probe returns at once once exit() ran (exit-flag.ts): set for every probe but `end` of a program that calls exit(). */
  stopsAfterExit = false;

  constructor(
    readonly types: InstanceTypes,
    readonly state: ProgramState,
    readonly ctypes: CTypeRegistry,
    readonly config: RuntimeConfig,
    readonly functionName: string,
    readonly kernelTypes: KernelTypes,
  ) {
    this.stackLimit = stackValueLimit(config.onStackLimit);
    this.frame = needsFrame(types, this.stackLimit) ? new ProbeFrame(functionName) : undefined;
    if (this.frame) state.declare(BIG_VALUE_C);
    this.localsInStruct = this.frame !== undefined || containsMapFor(types.instance.probe.body);
  }

  emit(): string {
    const { probe, expanded } = this.types.instance;
    if (this.stopsAfterExit) this.line(exitGuard(this.state));
    if (expanded.guard) this.line(`if (!(${expanded.guard}))\n    return 0;`);
    if (probe.predicate) this.line(`if (!(${this.cond(probe.predicate)}))\n    return 0;`);
    this.block(probe.body.statements);
    let vars = [...this.types.varTypes].map(([name, t]) => `  ${this.ctypes.name(t)} ${varName(name)} = ${this.zeroInit(t)};`);
    let prefix = '';
    if (this.localsInStruct) {
      const structName = this.localsStruct();
      const members = [...this.types.varTypes].map(([name, t]) => `  ${this.ctypes.name(t)} ${varName(name)};`);
      if (returnsFromMapFor(probe.body)) members.unshift('  __u8 returned;');
      if (this.frame) members.push(...this.frame.slots.map((sl) => `  ${sl.cType} ${sl.name};`));
      const frameMap = this.frame ? `${this.frame.mapDeclaration(structName)}\n` : '';
      prefix = `${structName} {\n  void *ctx;\n${members.join('\n')}\n};\n\n${frameMap}${this.callbacks.join('\n')}`;
      vars = this.frame ? this.frameLocals(structName, this.frame) : [`  ${structName} __locals = {};`, `  ${structName} *L = &__locals;`, '  L->ctx = ctx;'];
    }
    const temps = this.temps.map((t) => `  ${t};`);
    return prefix + [
      `SEC("${this.types.instance.expanded.section}")`,
      `int ${this.functionName}(void *ctx)`,
      '{',
      ...vars,
      ...temps,
      ...this.lines,
      '  return 0;',
      '}',
      '',
    ].join('\n');
  }

  /** This CPU's frame as `L`, its variables zeroed (its slots are written before they are read). */
  private frameLocals(structName: string, frame: ProbeFrame): string[] {
    this.state.frameMaps.push(frame.mapName);
    const zero = [...this.types.varTypes].map(([name, t]) => {
      const v = `L->${varName(name)}`;
      return this.isBig(t) ? `  bs_big_zero(&${v}, sizeof(${v}));` : `  __builtin_memset(&${v}, 0, sizeof(${v}));`;
    });
    return ['  __u32 __cpu = bpf_get_smp_processor_id();', `  ${structName} *L = bpf_map_lookup_elem(&${frame.mapName}, &__cpu);`, '  if (!L)', '    return 0;', `  ${structName} *__Lp = L;`, '  L->ctx = ctx;', ...zero];
  }

  /**
   * A temporary of type `t`: a local declared at the function's top, or a
   * slot of the frame for a big value.
   */
  temp(t: ValueType, prefix = 'tmp'): string {
    if (this.frame && this.isBig(t)) return this.frame.slot(this.ctypes.name(t));
    const n = this.name(prefix);
    this.temps.push(`${this.ctypes.name(t)} ${n} = ${this.zeroInit(t)}`);
    return n;
  }

  /** C (an expression) that sets lvalue `dst` of type `t` to `src`; a big value is copied by a helper. */
  assign(t: ValueType, dst: string, src: string): string {
    return assignValue(this.isBig(t), dst, src);
  }

  /** Whether a value of `t` is too big for the stack: it lives in the frame, as an lvalue. */
  isBig(t: ValueType): boolean {
    return this.frame !== undefined && isBig(t, this.stackLimit);
  }

  /** The struct that holds the probe's locals when map loops need to reach them. */
  localsStruct(): string {
    return `struct bs_locals_${this.functionName}`;
  }

  /** The C lvalue of a variable reference (resolved to its block-scoped id by the type pass). */
  variable(node: A.Variable): string {
    const id = this.types.varIds.get(node);
    if (!id) throw errorAt(node.span, `internal: unresolved variable ${node.name}`);
    return this.localsInStruct ? `L->${varName(id)}` : varName(id);
  }

  /** The type the type pass gave a variable reference. */
  variableType(node: A.Variable): ValueType {
    return this.types.varTypes.get(this.types.varIds.get(node)!)!;
  }

  zeroInit(t: ValueType): string {
    return isInteger(t) || t.kind === 'bool' || t.kind === 'pointer' ? '0' : '{}';
  }

  line(s: string): void {
    this.lines.push('  '.repeat(this.indent) + s);
  }

  /** A fresh C identifier `__<prefix><n>`. */
  name(prefix: string): string {
    return `__${prefix}${this.freshNumber()}`;
  }

  /** A number not used before in this probe's names. */
  freshNumber(): number {
    return this.fresh++;
  }

  typeOf(e: A.Expr): ValueType {
    const t = this.types.exprTypes.get(e);
    if (!t) throw errorAt(e.span, `internal: expression was not typed (${e.kind})`);
    return t;
  }

  // ------------------------------------------------------------ dispatch to the concepts

  block(stmts: A.Stmt[]): void {
    for (const s of stmts) emitStmt(this, s);
  }

  /** A block one level deeper. */
  nested(stmts: A.Stmt[]): void {
    this.indent++;
    this.block(stmts);
    this.indent--;
  }

  expr(e: A.Expr): string {
    return emitExpr(this, e);
  }

  /** C for a condition: integers, bools and pointers test against zero. */
  cond(e: A.Expr): string {
    return `(${this.expr(e)}) != 0`;
  }

  /** Converts a C value between compatible types (int widths, string capacities, tuple elements). */
  convert(c: string, from: ValueType, to: ValueType, explicit = false): string {
    return convertValue(this, c, from, to, explicit);
  }

  /** The user key of a map access, converted to the map's key type. */
  mapKeyValue(mapName: string, keys: A.Expr[]): string {
    return mapKeyValue(this, mapName, keys);
  }

  checkHelper(helper: string, call: string, span: Span): string {
    return checkHelper(this, helper, call, span);
  }

  event(id: number, fields: { type: ValueType; c: string }[]): { c: string; offsets: number[] } {
    return emitEvent(this, id, fields);
  }

  emitContext(): EmitContext {
    this.emitContextCache ??= builtinEmitContext(this);
    return this.emitContextCache;
  }
}

function varName(id: string): string {
  return `v_${id.slice(1).replace('#', '_')}`;
}
