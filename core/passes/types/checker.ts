// The type pass: infers and checks the type of every expression of every probe
// instance, each scratch variable, and each map's key and value (global across
// probes). Builtins are typed through their plugin's `check`; provider context
// identifiers (`args`, `arg0`) through the provider. Codegen reads the results
// and never re-derives a type.
import type * as A from '../../syntax/ast.ts';
import { DiagnosticBag, errorAt, type Span } from '../../diagnostics/index.ts';
import type { MapValueKind, ValueType } from '../../manifest/index.ts';
import type { Builtin, BuiltinArgNode, CheckContext, ContextValue, KernelMember, KernelTypes, ProviderEnv, RuntimeConfig } from '../../../sdk/index.ts';
import type { ProbeInstance } from '../../probes/index.ts';
import {
  boolType, int64, uint64, isInteger, isSigned, sizeOf, noneType, recordType, storageType, stringType, tupleType, typeName, unify,
} from '../../types/index.ts';
import { resolveTypeExpr } from './type-expr.ts';

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
  /** Pointer arithmetic (`p + n`): the element size n is scaled by. */
  pointerSteps: Map<A.Binary, number>;
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
}

/** The value a map read yields (`@x`, `@x[k]`), given its value kind. */
export function mapReadType(v: MapValueKind): ValueType | undefined {
  switch (v.kind) {
    case 'plain':
      return v.type;
    case 'count':
      return uint64;
    case 'sum':
    case 'min':
    case 'max':
    case 'avg':
      return v.signed ? int64 : uint64;
    default:
      return undefined;
  }
}

function sameValueKind(a: MapValueKind, b: MapValueKind): boolean {
  return JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

function describeValue(v: MapValueKind): string {
  return v.kind === 'plain' ? typeName(v.type) : `${v.kind}_t`;
}

export function checkProgram(program: A.Program, instances: ProbeInstance[], opts: CheckOptions): TypedProgram {
  const maps = new Map<string, MapTypeInfo>();
  for (const item of program.items) {
    if (item.kind === 'MapDecl') declareMap(item, maps);
  }
  const warnings = new DiagnosticBag();
  // Map types flow between probes, so run until they stop changing; only the
  // last round reports reads of maps that are never assigned.
  let results: InstanceTypes[] = [];
  for (let round = 0; round < 4; round++) {
    const before = snapshot(maps);
    const last = round === 3;
    results = instances.map((inst) => new InstanceChecker(inst, maps, opts, false, warnings).run());
    if (snapshot(maps) === before || last) break;
  }
  // Final strict round: every map read must now be typed.
  warnings.items.length = 0;
  results = instances.map((inst) => new InstanceChecker(inst, maps, opts, true, warnings).run());
  return { instances: results, maps, warnings };
}

function snapshot(maps: Map<string, MapTypeInfo>): string {
  return JSON.stringify([...maps.values()].map((m) => [m.name, m.keyType, m.value]), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

const mapDeclTypes = new Set(['hash', 'lruhash', 'percpuhash', 'percpulruhash']);

function declareMap(decl: A.MapDecl, maps: Map<string, MapTypeInfo>): void {
  if (!mapDeclTypes.has(decl.mapType)) {
    throw errorAt(decl.span, `Invalid map type: ${decl.mapType}. Valid types are: ${[...mapDeclTypes].join(', ')}`);
  }
  let maxEntries: number | undefined;
  if (decl.args.length > 0) {
    const a = decl.args[0];
    if (a.kind !== 'Integer' || a.value <= 0n) throw errorAt(a.span, 'Map size must be a positive integer literal');
    maxEntries = Number(a.value);
  }
  if (maps.has(decl.map.name)) throw errorAt(decl.span, `Map ${decl.map.name} is declared twice`);
  maps.set(decl.map.name, { name: decl.map.name, span: decl.span, declared: { mapType: decl.mapType, maxEntries } });
}

class InstanceChecker {
  private readonly result: InstanceTypes;
  private loopDepth = 0;
  private mapLoopDepth = 0;
  /** Variables whose type typeinfo/typeof/sizeof looked at: it may not change afterwards. */
  private readonly inspectedVars = new Set<string>();
  /** Variables declared with a type (`let $x: uint8`): their type never widens. */
  private readonly declaredVars = new Set<string>();

  constructor(
    private readonly inst: ProbeInstance,
    private readonly maps: Map<string, MapTypeInfo>,
    private readonly opts: CheckOptions,
    private readonly strict: boolean,
    private readonly warnings: DiagnosticBag,
  ) {
    this.result = {
      instance: inst,
      exprTypes: new Map(),
      varTypes: new Map(),
      varIds: new Map(),
      builtins: new Map(),
      context: new Map(),
      constants: new Map(),
      strings: new Map(),
      records: new Map(),
      comptimeBranches: new Map(),
      typeofs: new Map(),
      members: new Map(),
      pointerSteps: new Map(),
    };
  }

  run(): InstanceTypes {
    const { probe } = this.inst;
    if (probe.predicate) this.condition(probe.predicate);
    this.block(probe.body);
    return this.result;
  }

  // ------------------------------------------------------------ statements

  private block(b: A.Block | A.BlockExpr): void {
    this.scoped(() => {
      for (const s of b.statements) this.stmt(s);
    });
  }

  // Variables are block scoped, as upstream's: a variable first assigned in a
  // block is gone after it, and a later one of the same name is a new variable.
  private readonly scopes: Map<string, string>[] = [new Map()];

  private scoped(fn: () => void): void {
    this.scopes.push(new Map());
    try {
      fn();
    } finally {
      this.scopes.pop();
    }
  }

  private lookupVar(name: string): string | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const id = this.scopes[i].get(name);
      if (id) return id;
    }
    return undefined;
  }

  private declareVar(name: string): string {
    let id = name;
    for (let n = 2; this.result.varTypes.has(id); n++) id = `${name}#${n}`;
    this.scopes[this.scopes.length - 1].set(name, id);
    return id;
  }

  /** The type of a variable reference; a located error if it is not declared in scope. */
  private readVar(v: A.Variable): ValueType {
    const id = this.lookupVar(v.name);
    if (!id) throw errorAt(v.span, `Undefined or undeclared variable: ${v.name}`);
    this.result.varIds.set(v, id);
    return this.result.varTypes.get(id)!;
  }

  private stmt(s: A.Stmt): void {
    switch (s.kind) {
      case 'ExprStmt':
        this.exprStatement(s.expr);
        return;
      case 'Discard':
        this.expr(s.expr);
        return;
      case 'Assign':
        this.assign(s);
        return;
      case 'LetDecl': {
        if (this.lookupVar(s.variable.name)) throw errorAt(s.variable.span, `Variable ${s.variable.name} was already declared`);
        const declared = s.type ? this.resolveType(s.type) : undefined;
        const valueType = s.value ? this.expr(s.value) : undefined;
        let t = declared ?? valueType ?? int64;
        if (declared && valueType && !unify(declared, valueType)) {
          throw errorAt(s.span, `Type mismatch for ${s.variable.name}: trying to assign value of type '${typeName(valueType)}' when variable already has a type '${typeName(declared)}'`);
        }
        if (declared) t = declared;
        else if (s.value && isLiteralValue(s.value)) t = storageType(t);
        this.defineVar(s.variable, t);
        if (declared) this.declaredVars.add(this.result.varIds.get(s.variable)!);
        return;
      }
      case 'If':
        if (s.comptime) {
          // The untaken branch is dropped before it is checked, so it may hold
          // code that is only valid elsewhere (fail(), other probe types).
          const taken = this.comptimeCondition(s.cond);
          this.result.comptimeBranches.set(s, taken);
          if (taken) this.block(s.then);
          else if (s.else) s.else.kind === 'If' ? this.stmt(s.else) : this.block(s.else);
          return;
        }
        this.condition(s.cond);
        this.block(s.then);
        if (s.else) s.else.kind === 'If' ? this.stmt(s.else) : this.block(s.else);
        return;
      case 'While':
        this.condition(s.cond);
        this.loop(() => this.block(s.body));
        return;
      case 'Unroll': {
        const n = this.constant(s.count);
        if (n === undefined) throw errorAt(s.count.span, 'unroll count must be a constant integer');
        if (n < 1n || n > 100n) throw errorAt(s.count.span, 'unroll count must be between 1 and 100');
        this.block(s.body);
        return;
      }
      case 'For':
        this.forLoop(s);
        return;
      case 'Break':
      case 'Continue':
        if (this.loopDepth === 0) throw errorAt(s.span, `${s.kind === 'Break' ? 'break' : 'continue'} statement is not in a loop`);
        return;
      case 'Return':
        if (s.value) this.expr(s.value);
        return;
      case 'Block':
        this.block(s);
        return;
      case 'Import':
        throw errorAt(s.span, 'import statements are only allowed at the top level or inside macros');
    }
  }

  private loop(body: () => void): void {
    this.loopDepth++;
    try {
      body();
    } finally {
      this.loopDepth--;
    }
  }

  private forLoop(s: A.For): void {
    this.scoped(() => this.forLoopScoped(s));
  }

  private forLoopScoped(s: A.For): void {
    if (s.iterable.kind === 'Range') {
      const from = this.expr(s.iterable.from);
      const to = this.expr(s.iterable.to);
      if (!isInteger(from) || !isInteger(to)) throw errorAt(s.iterable.span, 'Loop range requires integer bounds');
      this.defineVar(s.variable, int64);
    } else {
      const m = this.maps.get(s.iterable.name);
      if (!m?.value) {
        if (this.strict) throw errorAt(s.iterable.span, `Undefined map: ${s.iterable.name}`);
        this.defineVar(s.variable, tupleType([int64, int64]));
      } else {
        const valueType = mapReadType(m.value);
        if (!valueType) throw errorAt(s.iterable.span, `Loop over map ${s.iterable.name} of type ${describeValue(m.value)} is not supported`);
        const keyType = m.keyType ?? int64;
        this.defineVar(s.variable, tupleType([keyType, valueType]));
      }
    }
    const mapLoop = s.iterable.kind === 'MapRef';
    if (mapLoop) this.mapLoopDepth++;
    try {
      this.loop(() => this.block(s.body));
    } finally {
      if (mapLoop) this.mapLoopDepth--;
    }
  }

  private defineVar(v: A.Variable, t: ValueType): void {
    const id = this.lookupVar(v.name) ?? this.declareVar(v.name);
    this.result.varIds.set(v, id);
    const prev = this.result.varTypes.get(id);
    if (prev && this.declaredVars.has(id)) {
      // `let $x: T`: the declared type stays; values are converted to it.
      if (!unify(prev, t)) {
        throw errorAt(v.span, `Type mismatch for ${v.name}: trying to assign value of type '${typeName(t)}' when variable already has a type '${typeName(prev)}'`);
      }
      return;
    }
    if (prev) {
      const u = unify(prev, t);
      if (!u) {
        throw errorAt(v.span, `Type mismatch for ${v.name}: trying to assign value of type '${typeName(t)}' when variable already contains a value of type '${typeName(prev)}'`);
      }
      if (this.inspectedVars.has(id) && typeName(u) !== typeName(prev)) {
        // Its type already decided a comptime question; changing it now would
        // make that answer wrong.
        throw errorAt(v.span, `Type of ${v.name} was inspected by typeinfo, typeof or sizeof and cannot change from '${typeName(prev)}' to '${typeName(u)}'`);
      }
      this.result.varTypes.set(id, u);
    } else this.result.varTypes.set(id, t);
  }

  private assign(s: A.Assign): void {
    if (s.target.kind === 'Variable') {
      const t = this.expr(s.value);
      if (s.op !== '=') {
        const prev = this.readVar(s.target);
        if (!isInteger(prev) || !isInteger(t)) throw errorAt(s.span, `The ${s.op} operator needs integer operands`);
        return;
      }
      if (t.kind === 'none') throw errorAt(s.value.span, 'Value has no type and cannot be assigned');
      // A variable takes the type of its first value (`$a = (uint16)7` is a
      // uint16); a bare literal gives int64, as `$i = 0` must hold any count.
      this.defineVar(s.target, isLiteralValue(s.value) ? storageType(t) : t);
      return;
    }
    const mapRef = s.target.kind === 'MapRef' ? s.target : s.target.map;
    const keys = s.target.kind === 'MapAccess' ? s.target.keys : [];
    this.mapKey(mapRef, keys, s.target.span);
    const value = s.value;
    const builtin = value.kind === 'Call' ? this.opts.builtins.get(value.callee) : undefined;
    let kind: MapValueKind;
    if (builtin?.aggregate && value.kind === 'Call') {
      if (s.op !== '=') throw errorAt(s.span, `${value.callee}() can only be assigned with =`);
      this.result.builtins.set(value, builtin);
      kind = builtin.aggregate.valueKind(value.args, this.checkContext(), value.span);
      this.result.exprTypes.set(value, noneType);
    } else {
      const t = this.expr(value);
      if (t.kind === 'none') throw errorAt(value.span, 'Value has no type and cannot be assigned to a map');
      if (s.op !== '=') {
        if (!isInteger(t)) throw errorAt(s.span, `The ${s.op} operator needs integer operands`);
        const existing = this.maps.get(mapRef.name)?.value;
        kind = existing && existing.kind !== 'plain' ? existing : { kind: 'plain', type: int64 };
        if (existing && existing.kind !== 'plain' && !['count', 'sum', 'min', 'max'].includes(existing.kind)) {
          throw errorAt(s.span, `The ${s.op} operator cannot be used on a map of type ${describeValue(existing)}`);
        }
      } else kind = { kind: 'plain', type: storageType(t) };
    }
    this.setMapValue(mapRef, kind, s.span);
  }

  private setMapValue(ref: A.MapRef, kind: MapValueKind, span: Span): void {
    const m = this.maps.get(ref.name)!;
    if (!m.value) {
      m.value = kind;
      return;
    }
    if (m.value.kind === 'plain' && kind.kind === 'plain') {
      const u = unify(m.value.type, kind.type);
      if (!u) {
        throw errorAt(span, `Type mismatch for ${ref.name}: trying to assign value of type '${typeName(kind.type)}' when map already contains a value of type '${typeName(m.value.type)}'`);
      }
      m.value = { kind: 'plain', type: u };
      return;
    }
    if (!sameValueKind(m.value, kind)) {
      throw errorAt(span, `Type mismatch for ${ref.name}: trying to assign value of type '${describeValue(kind)}' when map already contains a value of type '${describeValue(m.value)}'`);
    }
  }

  /** Checks a map's key against earlier uses; returns the (storage) key type. */
  private mapKey(ref: A.MapRef, keys: A.Expr[], span: Span): ValueType | undefined {
    let m = this.maps.get(ref.name);
    if (!m) {
      m = { name: ref.name, span: ref.span };
      this.maps.set(ref.name, m);
    }
    const keyed = keys.length > 0;
    if (m.keyed === undefined) m.keyed = keyed;
    else if (m.keyed !== keyed) {
      throw errorAt(span, m.keyed
        ? `${ref.name} used as a map without an explicit key (scalar map), previously used with an explicit key (non-scalar map)`
        : `${ref.name} used as a map with an explicit key (non-scalar map), previously used without an explicit key (scalar map)`);
    }
    if (!keyed) return undefined;
    const types = keys.map((k) => {
      const t = this.expr(k);
      if (t.kind === 'none') throw errorAt(k.span, 'Value has no type and cannot be a map key');
      return storageType(t);
    });
    const keyType = types.length === 1 ? types[0] : tupleType(types);
    if (!m.keyType) m.keyType = keyType;
    else {
      const u = unify(m.keyType, keyType);
      if (!u) {
        throw errorAt(span, `Argument mismatch for ${ref.name}: trying to access with arguments: '${typeName(keyType)}' when map expects arguments: '${typeName(m.keyType)}'`);
      }
      m.keyType = u;
    }
    return m.keyType;
  }

  private exprStatement(e: A.Expr): void {
    const t = this.expr(e);
    const isEffect = e.kind === 'Call' || e.kind === 'Update' || e.kind === 'BlockExpr' || e.kind === 'IfExpr';
    if (!isEffect && t.kind !== 'none') this.warnings.warning(e.span, 'Return value discarded.');
  }

  private condition(e: A.Expr): void {
    const t = this.expr(e);
    if (!isInteger(t) && t.kind !== 'bool' && t.kind !== 'pointer') {
      throw errorAt(e.span, `Invalid condition: expected integer, bool or pointer, got ${typeName(t)}`);
    }
  }

  // ------------------------------------------------------------ expressions

  private set(e: A.Expr, t: ValueType): ValueType {
    this.result.exprTypes.set(e, t);
    return t;
  }

  expr(e: A.Expr): ValueType {
    return this.set(e, this.exprInner(e));
  }

  private exprInner(e: A.Expr): ValueType {
    switch (e.kind) {
      case 'Integer':
        this.result.constants.set(e, e.value);
        return literalType(e.value);
      case 'String':
        this.result.strings.set(e, e.value);
        return stringType(Buffer.byteLength(e.value, 'latin1') + 1);
      case 'Bool':
        return boolType;
      case 'Variable':
        return this.readVar(e);
      case 'PositionalParam': {
        const v = this.opts.positional[e.index - 1] ?? '';
        if (/^-?\d+$/.test(v) || v === '') {
          this.result.constants.set(e, BigInt(v || '0'));
          return int64;
        }
        return stringType(Buffer.byteLength(v, 'latin1') + 1);
      }
      case 'ParamCount':
        this.result.constants.set(e, BigInt(this.opts.positional.length));
        return int64;
      case 'MapRef':
      case 'MapAccess':
        return this.mapRead(e);
      case 'Identifier':
        return this.identifier(e);
      case 'Call':
        return this.call(e);
      case 'Binary':
        return this.binary(e);
      case 'Unary':
        return this.unary(e);
      case 'Update': {
        const t = e.target.kind === 'Variable' ? this.readVar(e.target) : this.mapRead(e.target);
        if (e.target.kind !== 'Variable') {
          const ref = e.target.kind === 'MapRef' ? e.target : e.target.map;
          const m = this.maps.get(ref.name)!;
          if (!m.value) m.value = { kind: 'plain', type: int64 };
        }
        if (!isInteger(t)) throw errorAt(e.span, `The ${e.op} operator needs an integer variable or map`);
        return t;
      }
      case 'Ternary': {
        const c = this.expr(e.cond);
        if (!e.then) {
          const other = this.expr(e.else);
          const u = unify(c, other);
          if (!u) throw errorAt(e.span, `Ternary operator branches have different types: ${typeName(c)} and ${typeName(other)}`);
          return u;
        }
        this.checkConditionType(e.cond, c);
        const a = this.expr(e.then);
        const b = this.expr(e.else);
        if (a.kind === 'none' && b.kind === 'none') return noneType;
        const u = unify(a, b);
        if (!u) throw errorAt(e.span, `Ternary operator branches have different types: ${typeName(a)} and ${typeName(b)}`);
        return u;
      }
      case 'FieldAccess': {
        const t = this.expr(e.object);
        const kernelStruct = (t.kind === 'struct' && t.btfId !== undefined) || (t.kind === 'pointer' && t.btfId !== undefined);
        if (kernelStruct) {
          // `.` and `->` both walk kernel structs, through any pointer (as bpftrace).
          const kt = this.opts.kernelTypes;
          const m = kt.member(t, e.field);
          if (!m) {
            const target = t.kind === 'pointer' ? kt.fromId(t.btfId!) : t;
            if (target.kind !== 'struct') throw errorAt(e.span, `Can not access field '${e.field}' on type '${typeName(t)}'`);
            throw errorAt(e.span, `Struct/union of type '${target.name}' does not contain a field named '${e.field}'`);
          }
          this.result.members.set(e, m);
          return m.type.kind === 'struct' ? kt.complete(m.type) : m.type;
        }
        const scriptMember = this.scriptStructMember(e, t);
        if (scriptMember) return scriptMember;
        if (t.kind === 'record' || t.kind === 'struct') {
          const f = t.fields.find((x) => x.name === e.field);
          if (!f) throw errorAt(e.span, `Struct/union of type '${t.kind === 'struct' ? t.name : typeName(t)}' does not contain a field named '${e.field}'`);
          const folded = this.result.records.get(e.object)?.find(([n]) => n === e.field)?.[1];
          if (typeof folded === 'string') this.result.strings.set(e, folded);
          else if (folded !== undefined) this.result.constants.set(e, folded);
          return f.type;
        }
        throw errorAt(e.span, `Can not access field '${e.field}' on expression of type '${typeName(t)}'`);
      }
      case 'TupleIndex': {
        const t = this.expr(e.object);
        if (t.kind !== 'tuple') throw errorAt(e.span, `Can not access index '${e.index}' on expression of type '${typeName(t)}'`);
        if (e.index >= t.elements.length) throw errorAt(e.span, `Invalid tuple index: ${e.index}. Found ${t.elements.length} elements in tuple.`);
        return t.elements[e.index].type;
      }
      case 'Index': {
        const t = this.expr(e.object);
        const it = this.expr(e.index);
        if (!isInteger(it)) throw errorAt(e.index.span, 'The array index must be an integer');
        if (t.kind === 'string') return { kind: 'int', size: 1, signed: true };
        if (t.kind === 'array') return t.element;
        if (t.kind === 'pointer') {
          const pointee = this.pointeeType(t);
          if (!pointee) throw errorAt(e.span, `The array index operator [] can not be used on expressions of type '${typeName(t)}'`);
          return pointee;
        }
        if (t.kind === 'tuple') {
          const n = this.constant(e.index);
          if (n === undefined) throw errorAt(e.index.span, 'Tuple index must be a constant');
          if (n < 0n || n >= BigInt(t.elements.length)) throw errorAt(e.index.span, `Invalid tuple index: ${n}. Found ${t.elements.length} elements in tuple.`);
          return t.elements[Number(n)].type;
        }
        throw errorAt(e.span, `The array index operator [] can not be used on expressions of type ${typeName(t)}`);
      }
      case 'Cast': {
        const from = this.expr(e.expr);
        const to = this.castTarget(e.type, from);
        // Reinterpreting bytes: `(uint8[8])12345`, `(int8[])"abc"`, `(uint64)$bytes` (sizes must match).
        const bytesOf = (t: ValueType) => (t.kind === 'array' || t.kind === 'string' || t.kind === 'int' ? sizeOf(t) : undefined);
        if (to.kind === 'array' || (to.kind === 'int' && from.kind === 'array')) {
          // An integer literal takes the width the array needs (`(uint8[8])12345`), as upstream.
          const literal = from.kind === 'int' ? this.result.constants.get(e.expr) : undefined;
          const width = sizeOf(to);
          if (literal !== undefined && (width === 1 || width === 2 || width === 4 || width === 8)) {
            const widened: ValueType = { kind: 'int', size: width, signed: (from as { signed: boolean }).signed };
            this.result.exprTypes.set(e.expr, widened);
            return to;
          }
          const fromSize = bytesOf(from);
          if (fromSize === undefined) throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}"`);
          if (fromSize !== sizeOf(to)) {
            throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}": sizes differ (${fromSize} and ${sizeOf(to)} bytes)`);
          }
          return to;
        }
        if (to.kind === 'int' || to.kind === 'bool') {
          if (!isInteger(from) && from.kind !== 'bool' && from.kind !== 'pointer') {
            throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}"`);
          }
          const c = this.constant(e.expr);
          if (c !== undefined && to.kind === 'int') this.result.constants.set(e, BigInt[to.signed ? 'asIntN' : 'asUintN'](to.size * 8, c));
          return to;
        }
        if (to.kind === 'string' && from.kind === 'string') return to;
        if (to.kind === 'pointer' && (isInteger(from) || from.kind === 'pointer')) return to;
        throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}"`);
      }
      case 'Tuple':
        return tupleType(e.elements.map((x) => {
          const t = this.expr(x);
          if (t.kind === 'none') throw errorAt(x.span, 'Value has no type and cannot be a tuple element');
          return t;
        }));
      case 'Record': {
        const names = new Set<string>();
        for (const f of e.fields) {
          if (names.has(f.name)) throw errorAt(f.span, `Duplicate field name: ${f.name}`);
          names.add(f.name);
        }
        return recordType(e.fields.map((f) => ({ name: f.name, type: this.expr(f.value) })));
      }
      case 'BlockExpr': {
        let t: ValueType = noneType;
        this.scoped(() => {
          for (const st of e.statements) this.stmt(st);
          if (e.value) {
            t = this.expr(e.value);
            // Folding a block with statements would drop their side effects.
            if (e.statements.length === 0) this.copyConstant(e.value, e);
          }
        });
        return t;
      }
      case 'IfExpr': {
        if (e.comptime) {
          const taken = this.comptimeCondition(e.cond);
          this.result.comptimeBranches.set(e, taken);
          const branch = taken ? e.then : e.else;
          const t = this.expr(branch);
          this.copyConstant(branch, e);
          return t;
        }
        this.condition(e.cond);
        const a = this.expr(e.then);
        const b = this.expr(e.else);
        const u = unify(a, b);
        if (!u) throw errorAt(e.span, `if expression branches have different types: ${typeName(a)} and ${typeName(b)}`);
        return u;
      }
      case 'Sizeof': {
        const t = this.typeOfTarget(e.target);
        this.result.constants.set(e, BigInt(sizeOf(t)));
        return uint64;
      }
      case 'Offsetof': {
        let t = this.typeOfTarget(e.target);
        let offset = 0;
        for (const name of e.path) {
          if (t.kind !== 'record' && t.kind !== 'struct') throw errorAt(e.span, `offsetof() needs a struct or record, got '${typeName(t)}'`);
          const f = t.fields.find((x) => x.name === name);
          if (!f) throw errorAt(e.span, `'${typeName(t)}' has no field named '${name}'`);
          offset += f.offset;
          t = f.type;
        }
        this.result.constants.set(e, BigInt(offset));
        return uint64;
      }
      case 'Typeinfo': {
        const t = this.typeOfTarget(e.target);
        const fields: [string, bigint | string][] = [['btf_id', 0n], ['base_type', baseTypeName(t)], ['full_type', typeName(t)]];
        this.result.records.set(e, fields);
        return recordType(fields.map(([name, v]) => ({ name, type: typeof v === 'string' ? stringType(Buffer.byteLength(v) + 1) : int64 })));
      }
      case 'Comptime': {
        const inner = e.expr;
        if (inner.kind === 'Ternary' && inner.then) {
          const taken = this.comptimeCondition(inner.cond);
          this.result.comptimeBranches.set(inner, taken);
          const branch = taken ? inner.then : inner.else;
          const t = this.expr(branch);
          this.copyConstant(branch, e);
          this.result.exprTypes.set(inner, t);
          return t;
        }
        const t = this.expr(inner);
        if (!this.copyConstant(inner, e)) throw errorAt(e.span, 'Unable to evaluate expression at compile time');
        return t;
      }
    }
  }

  private checkConditionType(e: A.Expr, t: ValueType): void {
    if (!isInteger(t) && t.kind !== 'bool' && t.kind !== 'pointer') {
      throw errorAt(e.span, `Invalid condition: expected integer, bool or pointer, got ${typeName(t)}`);
    }
  }

  private mapRead(e: A.MapRef | A.MapAccess): ValueType {
    const ref = e.kind === 'MapRef' ? e : e.map;
    this.mapKey(ref, e.kind === 'MapAccess' ? e.keys : [], e.span);
    const m = this.maps.get(ref.name)!;
    if (!m.value) {
      if (this.strict) throw errorAt(ref.span, `Undefined map: ${ref.name}`);
      return int64;
    }
    const t = mapReadType(m.value);
    if (!t) throw errorAt(e.span, `Map value of type ${describeValue(m.value)} cannot be read in a probe; print it instead`);
    return t;
  }

  private identifier(e: A.Identifier): ValueType {
    const builtin = this.opts.builtins.get(e.name);
    if (builtin) return this.builtinIdentifier(e, builtin);
    const { provider, expanded } = this.inst;
    const ctxValue = provider.contextValue?.(e.name, expanded, this.opts.env);
    if (ctxValue) {
      this.result.context.set(e, ctxValue);
      return ctxValue.type;
    }
    if (/^arg\d+$/.test(e.name) || e.name === 'args' || e.name === 'retval') {
      throw errorAt(e.span, `The ${e.name} builtin can not be used with '${provider.name}' probes`);
    }
    const fallback = this.opts.fallbackIdentifier?.(e.name);
    if (fallback) return this.builtinIdentifier(e, fallback);
    throw errorAt(e.span, `Unknown identifier: '${e.name}'`);
  }

  private builtinIdentifier(e: A.Identifier, builtin: Builtin): ValueType {
    this.result.builtins.set(e, builtin);
    const t = builtin.check([], this.checkContext(), e.span);
    this.builtinConstant(builtin, [], e);
    return t;
  }

  private call(e: A.Call): ValueType {
    const builtin = this.opts.builtins.get(e.callee);
    if (!builtin) throw errorAt(e.calleeSpan, `Unknown function: '${e.callee}'`);
    if (builtin.aggregate) {
      throw errorAt(e.span, `${e.callee}() must be assigned directly to a map`);
    }
    if (builtin.endsProbe && this.mapLoopDepth > 0) {
      throw errorAt(e.span, `${e.callee}() is not allowed inside a for loop over a map`);
    }
    this.result.builtins.set(e, builtin);
    const t = builtin.check(e.args, this.checkContext(), e.span);
    this.builtinConstant(builtin, e.args, e);
    return t;
  }

  private builtinConstant(builtin: Builtin, args: BuiltinArgNode[], e: A.Expr): void {
    const v = builtin.constant?.(args, this.checkContext());
    if (typeof v === 'string') this.result.strings.set(e, v);
    else if (v !== undefined) this.result.constants.set(e, v);
  }

  /** Copies a folded constant from one node to another; false if `from` has none. */
  private copyConstant(from: A.Expr, to: A.Expr): boolean {
    const c = this.result.constants.get(from);
    if (c !== undefined) {
      this.result.constants.set(to, c);
      return true;
    }
    const str = this.result.strings.get(from);
    if (str !== undefined) {
      this.result.strings.set(to, str);
      return true;
    }
    const rec = this.result.records.get(from);
    if (rec) {
      this.result.records.set(to, rec);
      return true;
    }
    return false;
  }

  /** A condition that must be known at compile time. */
  private comptimeCondition(cond: A.Expr): boolean {
    const t = this.expr(cond);
    this.checkConditionType(cond, t);
    const v = this.result.constants.get(cond);
    if (v === undefined) throw errorAt(cond.span, 'Unable to evaluate comptime condition: it depends on run-time values');
    return v !== 0n;
  }

  /** The type of `sizeof(...)`, `typeinfo(...)` targets: a written type or an (unevaluated) expression. */
  private typeOfTarget(target: A.TypeExpr | A.Expr): ValueType {
    if (isTypeNode(target)) return this.resolveType(target);
    const t = this.expr(target);
    if (target.kind === 'Variable') this.inspectedVars.add(this.result.varIds.get(target)!);
    return t;
  }

  resolveType(t: A.TypeExpr): ValueType {
    return resolveTypeExpr(t, {
      typeofOf: (node) => {
        const r = this.typeOfTarget(node.target);
        this.result.typeofs.set(node, r);
        return r;
      },
      kernelTypes: this.opts.kernelTypes,
    });
  }

  /**
   * A member of a struct the script defines (C definitions: no BTF id):
   * through a pointer (`$p->a`, `$p.a`) it is read from memory at its
   * offset; on a value, the members outside its `fields` (bitfields, those of
   * anonymous unions) are read from its bytes. Undefined for anything else.
   */
  private scriptStructMember(e: A.FieldAccess, t: ValueType): ValueType | undefined {
    const kt = this.opts.kernelTypes;
    let target: ValueType | undefined;
    if (t.kind === 'pointer' && t.btfId === undefined) target = this.pointeeType(t);
    else if (t.kind === 'struct' && t.btfId === undefined && !t.fields.some((f) => f.name === e.field)) target = t;
    if (target?.kind !== 'struct' || target.btfId !== undefined) return undefined;
    const m = kt.member(t, e.field);
    if (!m) {
      if (target.size === 0) throw errorAt(e.span, `Can not access field '${e.field}' of incomplete type '${target.name}'`);
      throw errorAt(e.span, `Struct/union of type '${target.name}' does not contain a field named '${e.field}'`);
    }
    this.result.members.set(e, m);
    return m.type.kind === 'struct' && m.type.btfId !== undefined ? kt.complete(m.type) : m.type;
  }

  /** A cast's target type; `T[]` takes its length from the operand's size. */
  private castTarget(t: A.TypeExpr, from: ValueType): ValueType {
    if (t.kind === 'ArrayType' && t.length === undefined) {
      const element = this.resolveType(t.element);
      const size = from.kind === 'array' || from.kind === 'string' || from.kind === 'int' ? sizeOf(from) : 0;
      const each = sizeOf(element);
      if (each === 0 || size % each !== 0) throw errorAt(t.span, `Cannot cast a ${size}-byte value to an array of ${typeName(element)}`);
      return { kind: 'array', element, length: size / each, size };
    }
    return this.resolveType(t);
  }

  /** What `*p` / `p[i]` reads: a kernel type by BTF id, or a written pointee like `int32`. */
  private pointeeType(t: ValueType): ValueType | undefined {
    if (t.kind !== 'pointer' || t.pointee === 'void') return undefined;
    const kt = this.opts.kernelTypes;
    if (t.btfId !== undefined) {
      const p = kt.fromId(t.btfId);
      return p.kind === 'struct' ? kt.complete(p) : p.kind === 'none' ? undefined : p;
    }
    try {
      return resolveTypeExpr({ kind: 'NamedType', name: t.pointee, span: { file: '', line: 0, col: 0, endLine: 0, endCol: 0 } }, { kernelTypes: kt });
    } catch {
      return undefined;
    }
  }

  private binary(e: A.Binary): ValueType {
    const l = this.expr(e.left);
    const r = this.expr(e.right);
    const cl = this.constant(e.left);
    const cr = this.constant(e.right);
    switch (e.op) {
      case '&&':
      case '||':
        this.checkConditionType(e.left, l);
        this.checkConditionType(e.right, r);
        return boolType;
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (l.kind === 'string' && r.kind === 'string') {
          if (e.op !== '==' && e.op !== '!=') throw errorAt(e.span, `Operator ${e.op} is not supported on strings`);
          const sl = this.result.strings.get(e.left);
          const sr = this.result.strings.get(e.right);
          if (sl !== undefined && sr !== undefined) this.result.constants.set(e, (sl === sr) === (e.op === '==') ? 1n : 0n);
          return boolType;
        }
        if (!this.numeric(l) || !this.numeric(r)) {
          throw errorAt(e.span, `Type mismatch for '${e.op}': comparing ${typeName(l)} with ${typeName(r)}`);
        }
        if (cl !== undefined && cr !== undefined) this.result.constants.set(e, foldCompare(e.op, cl, cr) ? 1n : 0n);
        return boolType;
      default: {
        if (!this.numeric(l) || !this.numeric(r)) {
          throw errorAt(e.span, `Type mismatch for '${e.op}': ${typeName(l)} and ${typeName(r)}`);
        }
        // Pointer arithmetic, as C: `p + n` / `p - n` move by n elements and stay pointers.
        const pointerSide = l.kind === 'pointer' && isInteger(r) ? l : r.kind === 'pointer' && isInteger(l) && e.op === '+' ? r : undefined;
        if (pointerSide && (e.op === '+' || e.op === '-')) {
          const pointee = this.pointeeType(pointerSide);
          this.result.pointerSteps.set(e, pointee ? Math.max(1, sizeOf(pointee)) : 1);
          return pointerSide;
        }
        // A non-negative literal takes the other side's signedness (`elapsed / 1000` stays unsigned).
        const lUnsigned = !isSigned(l) || (cl !== undefined && cl >= 0n);
        const rUnsigned = !isSigned(r) || (cr !== undefined && cr >= 0n);
        const unsigned = lUnsigned && rUnsigned && (!isSigned(l) || !isSigned(r)) && e.op !== '-';
        const t = unsigned ? uint64 : int64;
        if (cl !== undefined && cr !== undefined) {
          const v = foldArith(e.op, cl, cr);
          if (v !== undefined) this.result.constants.set(e, BigInt[unsigned ? 'asUintN' : 'asIntN'](64, v));
        }
        return t;
      }
    }
  }

  private numeric(t: ValueType): boolean {
    return isInteger(t) || t.kind === 'bool' || t.kind === 'pointer';
  }

  private unary(e: A.Unary): ValueType {
    const t = this.expr(e.operand);
    const c = this.constant(e.operand);
    switch (e.op) {
      case '!':
        this.checkConditionType(e.operand, t);
        if (c !== undefined) this.result.constants.set(e, c === 0n ? 1n : 0n);
        return boolType;
      case '-':
        if (!isInteger(t)) throw errorAt(e.span, `The - operator needs an integer operand, got ${typeName(t)}`);
        if (c !== undefined) this.result.constants.set(e, BigInt.asIntN(64, -c));
        return int64;
      case '~':
        if (!isInteger(t)) throw errorAt(e.span, `The ~ operator needs an integer operand, got ${typeName(t)}`);
        if (c !== undefined) this.result.constants.set(e, BigInt[t.signed ? 'asIntN' : 'asUintN'](64, ~c));
        return storageType(t);
      case '*': {
        const pointee = this.pointeeType(t);
        if (!pointee) throw errorAt(e.span, `The * operator can not be used on expressions of type '${typeName(t)}'`);
        return pointee;
      }
      case '&':
        throw errorAt(e.span, 'Taking the address of a value (&) is not supported yet; pass maps and variables to macros by name');
    }
  }

  private constant(e: A.Expr): bigint | undefined {
    if (!this.result.exprTypes.has(e)) this.expr(e);
    return this.result.constants.get(e);
  }

  private checkContext(): CheckContext {
    return {
      probe: this.inst.expanded,
      config: this.opts.config,
      typeOf: (n) => this.expr(n),
      map: (n) => {
        if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
        let m = this.maps.get(n.name);
        if (!m) {
          if (this.strict) throw errorAt(n.span, `Undefined map: ${n.name}`);
          return { name: n.name };
        }
        return { name: m.name, keyType: m.keyType, value: m.value };
      },
      mapKey: (n, keys, span) => {
        if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
        return this.mapKey(n, keys, span);
      },
      constant: (n) => this.constant(n),
      hasChildProcess: this.opts.hasChildProcess,
      kernelTypes: this.opts.kernelTypes,
      fail: (message, span) => {
        throw errorAt(span, message);
      },
      warn: (message, span) => this.warnings.warning(span, message),
    };
  }
}


function isTypeNode(n: { kind: string }): n is A.TypeExpr {
  return n.kind === 'NamedType' || n.kind === 'PointerType' || n.kind === 'ArrayType' || n.kind === 'TypeofType';
}

/** An integer literal, possibly negated: it types a new variable as int64, not int8. */
function isLiteralValue(e: A.Expr): boolean {
  return e.kind === 'Integer' || (e.kind === 'Unary' && e.op === '-' && e.operand.kind === 'Integer');
}

/** Upstream types a literal as the smallest signed integer that holds it (uint64 past int64). */
function literalType(v: bigint): ValueType {
  if (v > 0x7fffffffffffffffn) return uint64;
  for (const size of [1, 2, 4] as const) {
    const bits = BigInt(size * 8 - 1);
    if (v >= -(1n << bits) && v < 1n << bits) return { kind: 'int', size, signed: true };
  }
  return int64;
}

/** typeinfo's `base_type`: the kind of a type in upstream's words. */
function baseTypeName(t: ValueType): string {
  switch (t.kind) {
    case 'int': return t.enumName ? 'enum' : 'int';
    case 'struct': return 'struct';
    default: return t.kind;
  }
}

function foldCompare(op: string, a: bigint, b: bigint): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

function foldArith(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<<': return b < 0n || b > 63n ? undefined : a << b;
    case '>>': return b < 0n || b > 63n ? undefined : a >> b;
    default: return undefined;
  }
}

