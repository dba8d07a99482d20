// Emits one BPF program (C function) for one probe instance from the typed AST.
// Expressions become C expressions with value semantics (GNU statement
// expressions where statements are needed); builtins emit themselves through
// the EmitContext.
import type * as A from '../syntax/ast.ts';
import { errorAt, type Span } from '../diagnostics/index.ts';
import type { MapValueKind, ValueType } from '../manifest/index.ts';
import type { Builtin, EmitContext, KernelMember, KernelTypes, RuntimeConfig } from '../../sdk/index.ts';
import type { InstanceTypes } from '../passes/types/index.ts';
import { int64, isInteger, layoutFields, uint64 } from '../types/index.ts';
import { CTypeRegistry, recordField } from './ctypes.ts';
import type { ProgramState } from './state.ts';

export function cString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f && ch !== '?') out += ch;
    else out += `\\${(c & 0xff).toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

export class ProbeEmitter {
  private temps: string[] = [];
  private fresh = 0;
  private lines: string[] = [];
  private indent = 1;
  /** Map `for` loops become callbacks of bpf_for_each_map_elem; locals then live in a struct both can reach. */
  private readonly localsInStruct: boolean;
  private readonly callbacks: string[] = [];
  /** Innermost loops first: 'map' for a callback body, 'c' for a C loop. */
  private readonly loops: ('map' | 'c')[] = [];

  constructor(
    private readonly types: InstanceTypes,
    private readonly state: ProgramState,
    private readonly ctypes: CTypeRegistry,
    private readonly config: RuntimeConfig,
    readonly functionName: string,
    private readonly kernelTypes: KernelTypes,
  ) {
    this.localsInStruct = containsMapFor(types.instance.probe.body);
  }

  /** The C lvalue of a variable reference (resolved to its block-scoped id by the type pass). */
  private v(node: A.Variable): string {
    const id = this.types.varIds.get(node);
    if (!id) throw errorAt(node.span, `internal: unresolved variable ${node.name}`);
    return this.localsInStruct ? `L->${varName(id)}` : varName(id);
  }

  emit(): string {
    const { probe, expanded } = this.types.instance;
    if (expanded.guard) this.line(`if (!(${expanded.guard}))\n    return 0;`);
    if (probe.predicate) this.line(`if (!(${this.cond(probe.predicate)}))\n    return 0;`);
    this.block(probe.body.statements);
    let vars = [...this.types.varTypes].map(([name, t]) => `  ${this.ctypes.name(t)} ${varName(name)} = ${this.zeroInit(t)};`);
    let prefix = '';
    if (this.localsInStruct) {
      const structName = `struct bs_locals_${this.functionName}`;
      prefix = `${structName} {\n  void *ctx;\n${[...this.types.varTypes].map(([name, t]) => `  ${this.ctypes.name(t)} ${varName(name)};`).join('\n')}\n};\n\n${this.callbacks.join('\n')}`;
      vars = [`  ${structName} __locals = {};`, `  ${structName} *L = &__locals;`, '  L->ctx = ctx;'];
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

  private zeroInit(t: ValueType): string {
    return isInteger(t) || t.kind === 'bool' || t.kind === 'pointer' ? '0' : '{}';
  }

  private line(s: string): void {
    this.lines.push('  '.repeat(this.indent) + s);
  }

  private name(prefix: string): string {
    return `__${prefix}${this.fresh++}`;
  }

  private typeOf(e: A.Expr): ValueType {
    const t = this.types.exprTypes.get(e);
    if (!t) throw errorAt(e.span, `internal: expression was not typed (${e.kind})`);
    return t;
  }

  // ------------------------------------------------------------ statements

  private block(stmts: A.Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private nested(stmts: A.Stmt[]): void {
    this.indent++;
    this.block(stmts);
    this.indent--;
  }

  private stmt(s: A.Stmt): void {
    switch (s.kind) {
      case 'ExprStmt':
      case 'Discard':
        this.line(`${this.expr(s.expr)};`);
        return;
      case 'Assign':
        this.assign(s);
        return;
      case 'LetDecl': {
        const t = this.types.varTypes.get(this.types.varIds.get(s.variable)!)!;
        const v = s.value ? this.convert(this.expr(s.value), this.typeOf(s.value), t) : `(${this.ctypes.name(t)})${this.zeroInit(t) === '0' ? '0' : '{}'}`;
        this.line(`${this.v(s.variable)} = ${v};`);
        return;
      }
      case 'If':
        this.ifStmt(s);
        return;
      case 'While':
        this.line(`while (${this.cond(s.cond)}) {`);
        this.loops.push('c');
        this.nested(s.body.statements);
        this.loops.pop();
        this.line('}');
        return;
      case 'Unroll': {
        const n = Number(this.types.constants.get(s.count) ?? 0n);
        for (let i = 0; i < n; i++) {
          this.line('{');
          this.nested(s.body.statements);
          this.line('}');
        }
        return;
      }
      case 'For':
        this.forStmt(s);
        return;
      case 'Break':
        this.line(this.loops[this.loops.length - 1] === 'map' ? 'return 1;' : 'break;');
        return;
      case 'Continue':
        this.line(this.loops[this.loops.length - 1] === 'map' ? 'return 0;' : 'continue;');
        return;
      case 'Return':
        if (this.loops.includes('map')) throw errorAt(s.span, 'return is not allowed inside a for loop over a map');
        if (s.value) this.line(`${this.expr(s.value)};`);
        this.line('return 0;');
        return;
      case 'Block':
        this.line('{');
        this.nested(s.statements);
        this.line('}');
        return;
      case 'Import':
        throw errorAt(s.span, 'import statements are only allowed at the top level or inside macros');
    }
  }

  private ifStmt(s: A.If): void {
    const taken = this.types.comptimeBranches.get(s);
    if (taken !== undefined) {
      // `if comptime`: only the branch the type pass kept exists.
      if (taken) this.block(s.then.statements);
      else if (s.else?.kind === 'If') this.ifStmt(s.else);
      else if (s.else) this.block(s.else.statements);
      return;
    }
    this.line(`if (${this.cond(s.cond)}) {`);
    this.nested(s.then.statements);
    if (s.else) {
      this.line('} else {');
      this.indent++;
      if (s.else.kind === 'If') this.ifStmt(s.else);
      else this.block(s.else.statements);
      this.indent--;
    }
    this.line('}');
  }

  private forStmt(s: A.For): void {
    if (s.iterable.kind !== 'Range') {
      this.mapFor(s, s.iterable);
      return;
    }
    const v = this.v(s.variable);
    const end = this.name('end');
    this.temps.push(`__s64 ${end} = 0`);
    this.line(`${end} = ${this.expr(s.iterable.to)};`);
    this.line(`for (${v} = ${this.expr(s.iterable.from)}; ${v} < ${end}; ${v}++) {`);
    this.loops.push('c');
    this.nested(s.body.statements);
    this.loops.pop();
    this.line('}');
  }

  /**
   * `for ($kv : @m) { ... }`: the body becomes a bpf_for_each_map_elem
   * callback that reaches the probe's locals through `L` (and the context
   * through L->ctx); break/continue become the callback's return values.
   */
  private mapFor(s: A.For, ref: A.MapRef): void {
    const map = this.state.map(ref.name);
    const kvType = this.types.varTypes.get(this.types.varIds.get(s.variable)!)!;
    if (kvType.kind !== 'tuple') throw errorAt(s.span, 'internal: map loop variable is not a tuple');
    const cb = `${this.functionName}_for${this.fresh++}`;
    const saved = { lines: this.lines, temps: this.temps, indent: this.indent };
    this.lines = [];
    this.temps = [];
    this.indent = 1;
    const keyType = kvType.elements[0].type;
    const kind = map.info.value;
    const value = kind.kind === 'plain'
      ? `*(${map.cValueType} *)value`
      : this.aggregateRead(map.cName, 'key', kind);
    const keyC = map.info.keyType ? `*(${this.ctypes.name(keyType)} *)key` : '0';
    this.line(`${this.v(s.variable)} = (${this.ctypes.name(kvType)}){ .f0 = ${keyC}, .f1 = ${value} };`);
    this.loops.push('map');
    this.block(s.body.statements);
    this.loops.pop();
    const body = this.lines;
    const temps = this.temps.map((t) => `  ${t};`);
    this.lines = saved.lines;
    this.temps = saved.temps;
    this.indent = saved.indent;
    const structName = `struct bs_locals_${this.functionName}`;
    this.callbacks.push([
      `static long ${cb}(void *map, const void *key, void *value, void *cb_ctx)`,
      '{',
      `  ${structName} *L = cb_ctx;`,
      '  void *ctx = L->ctx;',
      ...temps,
      ...body,
      '  return 0;',
      '}',
      '',
    ].join('\n'));
    this.line(`bpf_for_each_map_elem(&${map.cName}, ${cb}, L, 0);`);
  }

  private assign(s: A.Assign): void {
    if (s.target.kind === 'Variable') {
      const t = this.types.varTypes.get(this.types.varIds.get(s.target)!)!;
      const value = this.convert(this.expr(s.value), this.typeOf(s.value), t);
      const target = this.v(s.target);
      if ((s.op === '/=' || s.op === '%=') && isSignedT(t)) this.line(`${target} = ${s.op === '/=' ? 'bs_sdiv' : 'bs_smod'}(${target}, ${value});`);
      else this.line(`${target} ${s.op} ${value};`);
      return;
    }
    const ref = s.target.kind === 'MapRef' ? s.target : s.target.map;
    const keys = s.target.kind === 'MapAccess' ? s.target.keys : [];
    const map = this.state.map(ref.name);
    const builtin = s.value.kind === 'Call' ? this.types.builtins.get(s.value) : undefined;
    if (builtin?.aggregate && s.value.kind === 'Call') {
      const key = this.name('key');
      this.line('{');
      this.indent++;
      this.line(`${map.cKeyType} ${key} = {};`);
      if (map.bucketed) {
        if (keys.length) this.line(`${key}.k = ${this.mapKeyValue(ref.name, keys)};`);
      } else if (keys.length) this.line(`${key} = ${this.mapKeyValue(ref.name, keys)};`);
      this.line(`${builtin.aggregate.emitUpdate(s.value.args, this.emitContext(), map.cName, key, map.info.value)};`);
      this.indent--;
      this.line('}');
      return;
    }
    const valueType = this.typeOf(s.value);
    const kind = map.info.value;
    if (kind.kind !== 'plain') {
      // `@c += n` on an aggregate map: same update as the aggregate would do.
      const delta = s.op === '-=' ? `-(${this.expr(s.value)})` : this.expr(s.value);
      this.line(`{ ${map.cKeyType} __k = ${keys.length ? this.mapKeyValue(ref.name, keys) : '0'}; ${this.aggregateAdd(map.cName, '__k', kind, delta)}; }`);
      return;
    }
    const key = this.name('key');
    const val = this.name('val');
    this.line('{');
    this.indent++;
    this.line(`${map.cKeyType} ${key} = ${keys.length ? this.mapKeyValue(ref.name, keys) : '0'};`);
    if (s.op === '=') {
      this.line(`${map.cValueType} ${val} = ${this.convert(this.expr(s.value), valueType, kind.type)};`);
    } else {
      const old = this.name('old');
      this.line(`${map.cValueType} *${old} = bpf_map_lookup_elem(&${map.cName}, &${key});`);
      this.line(`${map.cValueType} ${val} = ${old} ? *${old} : 0;`);
      if ((s.op === '/=' || s.op === '%=') && kind.type.kind === 'int' && kind.type.signed) {
        this.line(`${val} = ${s.op === '/=' ? 'bs_sdiv' : 'bs_smod'}(${val}, ${this.expr(s.value)});`);
      } else this.line(`${val} ${s.op} ${this.expr(s.value)};`);
    }
    this.line(`${this.checkHelper('map_update_elem', `bpf_map_update_elem(&${map.cName}, &${key}, &${val}, BPF_ANY)`, s.span)};`);
    this.indent--;
    this.line('}');
  }

  private aggregateAdd(mapC: string, keyVar: string, kind: MapValueKind, delta: string): string {
    if (kind.kind === 'count' || kind.kind === 'sum') return `bs_agg_add(&${mapC}, &${keyVar}, ${delta})`;
    if (kind.kind === 'min' || kind.kind === 'max') {
      return `bs_agg_minmax(&${mapC}, &${keyVar}, ${delta}, ${kind.kind === 'max' ? 1 : 0}, ${kind.signed ? 1 : 0})`;
    }
    return `bs_agg_avg(&${mapC}, &${keyVar}, ${delta})`;
  }

  /** The user key of a map access, converted to the map's key type. */
  private mapKeyValue(mapName: string, keys: A.Expr[]): string {
    const map = this.state.map(mapName);
    const keyType = map.info.keyType!;
    if (keys.length === 1) return this.convert(this.expr(keys[0]), this.typeOf(keys[0]), keyType);
    if (keyType.kind !== 'tuple') throw errorAt(keys[0].span, 'internal: multi-key map without tuple key');
    const parts = keys.map((k, i) => `.f${i} = ${this.convert(this.expr(k), this.typeOf(k), keyType.elements[i].type)}`);
    return `(${this.ctypes.name(keyType)}){ ${parts.join(', ')} }`;
  }

  // ------------------------------------------------------------ expressions

  /** C for a condition: integers, bools and pointers test against zero. */
  cond(e: A.Expr): string {
    return `(${this.expr(e)}) != 0`;
  }

  expr(e: A.Expr): string {
    const constant = this.types.constants.get(e);
    const t = this.types.exprTypes.get(e);
    if (constant !== undefined && t && isInteger(t)) return intLiteral(constant, t.signed);
    if (constant !== undefined && t?.kind === 'bool') return constant ? '((__u8)1)' : '((__u8)0)';
    const str = this.types.strings.get(e);
    if (str !== undefined && t?.kind === 'string') return this.stringLiteral(str, t);
    const rec = this.types.records.get(e);
    if (rec && t?.kind === 'record') {
      const parts = t.fields.map((f, i) => {
        const v = rec[i][1];
        return `.${recordField(f.name)} = ${typeof v === 'string' ? this.stringLiteral(v, f.type) : intLiteral(v, true)}`;
      });
      return `((${this.ctypes.name(t)}){ ${parts.join(', ')} })`;
    }
    switch (e.kind) {
      case 'Integer':
        return intLiteral(e.value, e.value <= 0x7fffffffffffffffn);
      case 'String':
        return `((${this.ctypes.name(this.typeOf(e))}){ .s = ${cString(e.value)} })`;
      case 'Bool':
        return e.value ? '((__u8)1)' : '((__u8)0)';
      case 'Variable':
        return this.v(e);
      case 'PositionalParam': {
        const t = this.typeOf(e);
        const value = this.state.positional[e.index - 1] ?? '';
        return t.kind === 'string' ? `((${this.ctypes.name(t)}){ .s = ${cString(value)} })` : `${BigInt(value || '0')}LL`;
      }
      case 'ParamCount':
        return `${this.state.positional.length}LL`;
      case 'MapRef':
      case 'MapAccess':
        return this.mapRead(e);
      case 'Identifier': {
        const b = this.types.builtins.get(e);
        if (b) return b.emit([], this.emitContext(), e.span);
        const c = this.types.context.get(e);
        if (c) {
          this.ctypes.name(c.type); // declares the context struct (e.g. tracepoint args)
          return c.cValue ?? c.c;
        }
        throw errorAt(e.span, `internal: unresolved identifier ${e.name}`);
      }
      case 'Call': {
        const b = this.types.builtins.get(e);
        if (!b) throw errorAt(e.span, `internal: unresolved call ${e.callee}`);
        return b.emit(e.args, this.emitContext(), e.span);
      }
      case 'Binary':
        return this.binary(e);
      case 'Unary': {
        if (e.op === '*') return this.readPointee(e.operand, '0', this.typeOf(e));
        const v = this.expr(e.operand);
        if (e.op === '!') return `(!(${v}))`;
        if (e.op === '-') return `(-(__s64)(${v}))`;
        return `(~(${v}))`;
      }
      case 'Update':
        return this.update(e);
      case 'Ternary': {
        const t = this.typeOf(e);
        if (!e.then) {
          const c = this.name('elv');
          this.temps.push(`${this.ctypes.name(t)} ${c} = ${this.zeroInit(t)}`);
          return `((${c} = ${this.convert(this.expr(e.cond), this.typeOf(e.cond), t)}) ? ${c} : ${this.convert(this.expr(e.else), this.typeOf(e.else), t)})`;
        }
        if (t.kind === 'none') return `((${this.cond(e.cond)}) ? (void)(${this.expr(e.then)}) : (void)(${this.expr(e.else)}))`;
        return `((${this.cond(e.cond)}) ? ${this.convert(this.expr(e.then), this.typeOf(e.then), t)} : ${this.convert(this.expr(e.else), this.typeOf(e.else), t)})`;
      }
      case 'FieldAccess': {
        const member = this.types.members.get(e);
        if (member) return isScriptStructAccess(this.typeOf(e.object)) ? this.scriptMember(e, member) : this.kernelMember(e, member);
        const ot = this.typeOf(e.object);
        // A field of a script struct in memory (`$p->inner.x`): read just the field, not the whole struct.
        const inMemory = ot.kind === 'struct' && ot.btfId === undefined ? this.scriptAddress(e.object) : undefined;
        const direct = inMemory && ot.kind === 'struct' ? ot.fields.find((f) => f.name === e.field) : undefined;
        if (direct) return this.scriptMember(e, direct);
        const field = ot.kind === 'record' ? recordField(e.field) : e.field;
        const ctxValue = e.object.kind === 'Identifier' ? this.types.context.get(e.object) : undefined;
        if (ctxValue) {
          this.ctypes.name(ctxValue.type);
          return `(${ctxValue.c}).${field}`;
        }
        return `(${this.expr(e.object)}).${field}`;
      }
      case 'TupleIndex':
        return `(${this.expr(e.object)}).f${e.index}`;
      case 'Index': {
        const ot = this.typeOf(e.object);
        if (ot.kind === 'pointer') return this.readPointee(e.object, this.expr(e.index), this.typeOf(e));
        if (ot.kind === 'tuple') return `(${this.expr(e.object)}).f${this.types.constants.get(e.index)}`;
        const idx = this.name('idx');
        const obj = this.name('obj');
        const len = ot.kind === 'string' ? ot.size : ot.kind === 'array' ? ot.length : 0;
        const member = ot.kind === 'string' ? 's' : 'a';
        const elem = this.ctypes.name(this.typeOf(e));
        return `({ ${this.ctypes.name(ot)} ${obj} = ${this.expr(e.object)}; __u64 ${idx} = ${this.expr(e.index)}; ${idx} < ${len} ? ${obj}.${member}[${idx}] : (${elem})0; })`;
      }
      case 'Cast': {
        const t = this.typeOf(e);
        return this.convert(this.expr(e.expr), this.typeOf(e.expr), t, true);
      }
      case 'Tuple': {
        const t = this.typeOf(e);
        if (t.kind !== 'tuple') throw errorAt(e.span, 'internal: tuple type');
        const parts = e.elements.map((x, i) => `.f${i} = ${this.convert(this.expr(x), this.typeOf(x), t.elements[i].type)}`);
        return `((${this.ctypes.name(t)}){ ${parts.join(', ')} })`;
      }
      case 'Record': {
        const t = this.typeOf(e);
        if (t.kind !== 'record') throw errorAt(e.span, 'internal: record type');
        const parts = e.fields.map((f, i) => `.${recordField(f.name)} = ${this.convert(this.expr(f.value), this.typeOf(f.value), t.fields[i].type)}`);
        return `((${this.ctypes.name(t)}){ ${parts.join(', ')} })`;
      }
      case 'BlockExpr':
        return this.blockExpr(e);
      case 'IfExpr': {
        const t = this.typeOf(e);
        const taken = this.types.comptimeBranches.get(e);
        if (taken !== undefined) {
          const branch = taken ? e.then : e.else;
          return this.convert(branch.kind === 'IfExpr' ? this.expr(branch) : this.blockExpr(branch), this.typeOf(branch), t);
        }
        const elseC = e.else.kind === 'IfExpr' ? this.expr(e.else) : this.blockExpr(e.else);
        return `((${this.cond(e.cond)}) ? ${this.convert(this.blockExpr(e.then), this.typeOf(e.then), t)} : ${this.convert(elseC, this.typeOf(e.else), t)})`;
      }
      case 'Comptime': {
        const inner = e.expr;
        if (inner.kind === 'Ternary' && this.types.comptimeBranches.has(inner)) {
          return this.expr(this.types.comptimeBranches.get(inner) ? inner.then! : inner.else);
        }
        return this.expr(inner);
      }
      default:
        throw errorAt(e.span, `${e.kind} cannot be compiled here`);
    }
  }

  // ------------------------------------------------------------ kernel memory

  /**
   * A helper call whose failure `-k` reports: with warnHelperErrors, a
   * negative return sends a helper_error event (helper name, return code,
   * the script location) and the value is passed on unchanged.
   */
  private checkHelper(helper: string, call: string, span: Span): string {
    if (!this.config.warnHelperErrors) return call;
    const r = this.name('hr');
    const id = this.state.addAction({ kind: 'helper_error', helper: helper.replace(/^bpf_/, '').replace(/^bs_/, ''), span });
    const ev = this.event(id, [{ type: int64, c: r }]);
    return `({ long ${r} = ${call}; if (${r} < 0) ${ev.c}; ${r}; })`;
  }

  /** Reads `*(p + index)` (of type `t`) from kernel, or user, memory. */
  private readPointee(pointer: A.Expr, index: string, t: ValueType): string {
    const pt = this.typeOf(pointer);
    if (pt.kind !== 'pointer') throw errorAt(pointer.span, 'internal: dereference of a non-pointer');
    const ct = this.ctypes.name(t);
    const v = this.name('v');
    // A struct the script defines may be in kernel or user memory (a uprobe's argument).
    const scriptStruct = !pt.user && t.kind === 'struct' && t.btfId === undefined;
    if (scriptStruct) this.state.declare(PROBE_READ_ANY);
    const read = pt.user ? 'bpf_probe_read_user' : scriptStruct ? 'bs_probe_read' : 'bpf_probe_read_kernel';
    const call = `${read}(&${v}, sizeof(${v}), (const void *)((${ct} *)(${this.expr(pointer)}) + (${index})))`;
    return `({ ${ct} ${v}; ${this.checkHelper(read, call, pointer.span)}; ${v}; })`;
  }

  /**
   * A member of a kernel struct, read with CO-RE: the address of the member
   * is relocated against the running kernel (`preserve_access_index`), and
   * only the member's bytes are copied. Chains through embedded structs stay
   * one address computation (`&p->se.avg`), never a copy of the outer struct.
   */
  private kernelMember(e: A.FieldAccess, m: KernelMember): string {
    this.useKernelMember(e.object, e.field);
    const base = this.kernelAddress(e.object);
    const t = this.typeOf(e);
    const ct = this.ctypes.name(t);
    if (!base) {
      // A struct value already copied to the stack: plain C member access.
      return `(${this.expr(e.object)}).${e.field}`;
    }
    // The root pointer is computed first: preserve_access_index may not nest.
    const p = this.name('p');
    const v = this.name('v');
    const member = [...base.path, e.field];
    const head = `${base.rootType} *${p} = ${base.root};`;
    if (m.bitfield) {
      if (base.path.length) {
        const s = this.name('s');
        return `({ ${head} ${base.type} *${s} = &${p}->${base.path.join('.')}; (${ct})BPF_CORE_READ_BITFIELD_PROBED(${s}, ${e.field}); })`;
      }
      return `({ ${head} (${ct})BPF_CORE_READ_BITFIELD_PROBED(${p}, ${e.field}); })`;
    }
    const read = base.user ? 'bpf_probe_read_user' : 'bpf_probe_read_kernel';
    // NULL reads as zero (as in bpftrace); the check also lets the verifier
    // accept BTF pointers that may be NULL (iterator and tp_btf contexts).
    const call = `${read}(&${v}, sizeof(${v}), __builtin_preserve_access_index(&${p}->${member.join('.')}))`;
    return `({ ${head} ${ct} ${v}; __builtin_memset(&${v}, 0, sizeof(${v})); if (${p}) ${this.checkHelper(read, call, e.span)}; ${v}; })`;
  }

  /**
   * For an expression that denotes a kernel struct in memory: a root pointer
   * (C expression, type `rootType *`) and the embedded members from it to the
   * struct (`['se', 'avg']`); undefined for values that only exist on the stack.
   */
  private kernelAddress(e: A.Expr): { root: string; rootType: string; path: string[]; type: string; user: boolean } | undefined {
    const t = this.typeOf(e);
    const kernel = () => this.ctypes.kernel();
    if (t.kind === 'pointer' && t.btfId !== undefined) {
      const target = this.kernelStructId(t.btfId);
      if (target === undefined) return undefined;
      const sname = kernel().spell(target);
      return { root: `((${sname} *)(${this.expr(e)}))`, rootType: sname, path: [], type: sname, user: !!t.user };
    }
    if (t.kind !== 'struct' || t.btfId === undefined) return undefined;
    const ctxAddress = e.kind === 'Identifier' ? this.types.context.get(e)?.cAddress : undefined;
    if (ctxAddress) {
      const sname = kernel().spell(t.btfId);
      return { root: `((${sname} *)(${ctxAddress}))`, rootType: sname, path: [], type: sname, user: false };
    }
    if (e.kind === 'FieldAccess' && this.types.members.has(e)) {
      const outer = this.kernelAddress(e.object);
      if (!outer) return undefined;
      this.useKernelMember(e.object, e.field);
      return { ...outer, path: [...outer.path, e.field], type: kernel().spell(t.btfId) };
    }
    if (e.kind === 'Unary' && e.op === '*') {
      const pt = this.typeOf(e.operand);
      if (pt.kind !== 'pointer') return undefined;
      const sname = kernel().spell(t.btfId);
      return { root: `((${sname} *)(${this.expr(e.operand)}))`, rootType: sname, path: [], type: sname, user: !!pt.user };
    }
    return undefined;
  }

  /**
   * A member of a struct the script defines (no BTF id, no CO-RE needed: its
   * layout is the script's): read from memory at the member's offset when the
   * struct is in memory (behind a pointer, also through embedded structs), or
   * from the bytes of a value already on the stack. Bitfields are read from
   * the bytes that hold them, then shifted and masked.
   */
  private scriptMember(e: A.FieldAccess, m: KernelMember): string {
    const t = this.typeOf(e);
    const ct = this.ctypes.name(t);
    const v = this.name('v');
    const at = m.bitfield ? Math.floor(m.bitfield.bitOffset / 8) : m.offset;
    const bytes = m.bitfield ? Math.ceil(((m.bitfield.bitOffset % 8) + m.bitfield.bitSize) / 8) : 0;
    const raw = this.name('raw');
    const extract = m.bitfield
      ? ` ${ct} ${v} = (${ct})((${raw} >> ${m.bitfield.bitOffset % 8}) & ${m.bitfield.bitSize >= 64 ? '~0ULL' : `${(1n << BigInt(m.bitfield.bitSize)) - 1n}ULL`});`
      : '';
    const base = this.scriptAddress(e.object);
    if (base) {
      const read = base.user ? 'bpf_probe_read_user' : 'bs_probe_read';
      if (!base.user) this.state.declare(PROBE_READ_ANY);
      if (m.bitfield) return `({ __u64 ${raw} = 0; ${this.checkHelper(read, `${read}(&${raw}, ${bytes}, (const void *)(${base.address} + ${at}))`, e.span)};${extract} ${v}; })`;
      return `({ ${ct} ${v}; ${this.checkHelper(read, `${read}(&${v}, sizeof(${v}), (const void *)(${base.address} + ${at}))`, e.span)}; ${v}; })`;
    }
    const o = this.name('o');
    const value = `${this.ctypes.name(this.typeOf(e.object))} ${o} = ${this.expr(e.object)};`;
    if (m.bitfield) return `({ ${value} __u64 ${raw} = 0; __builtin_memcpy(&${raw}, (char *)&${o} + ${at}, ${bytes});${extract} ${v}; })`;
    return `({ ${value} ${ct} ${v}; __builtin_memcpy(&${v}, (char *)&${o} + ${at}, sizeof(${v})); ${v}; })`;
  }

  /**
   * For an expression that denotes a script struct in memory: its address (a
   * C integer expression) and whether it is user memory; undefined for values
   * that only exist on the stack.
   */
  private scriptAddress(e: A.Expr): { address: string; user: boolean } | undefined {
    const t = this.typeOf(e);
    if (t.kind === 'pointer' && t.btfId === undefined) return { address: `((__u64)(${this.expr(e)}))`, user: !!t.user };
    if (t.kind !== 'struct' || t.btfId !== undefined) return undefined;
    const m = e.kind === 'FieldAccess' ? this.types.members.get(e) : undefined;
    if (e.kind === 'FieldAccess' && m && !m.bitfield && isScriptStructAccess(this.typeOf(e.object))) {
      const outer = this.scriptAddress(e.object);
      return outer && { address: `(${outer.address} + ${m.offset})`, user: outer.user };
    }
    if (e.kind === 'Unary' && e.op === '*') {
      const pt = this.typeOf(e.operand);
      if (pt.kind === 'pointer' && pt.btfId === undefined) return { address: `((__u64)(${this.expr(e.operand)}))`, user: !!pt.user };
    }
    return undefined;
  }

  private kernelStructId(btfId: number): number | undefined {
    const p = this.kernelTypes.fromId(btfId);
    return p.kind === 'struct' ? p.btfId : undefined;
  }

  /** Records that the unit touches `field` of the struct `object` denotes, for the partial declaration. */
  private useKernelMember(object: A.Expr, field: string): void {
    const t = this.typeOf(object);
    const id = t.kind === 'struct' ? t.btfId : t.kind === 'pointer' && t.btfId !== undefined ? this.kernelStructId(t.btfId) : undefined;
    if (id !== undefined) this.ctypes.kernel().useMember(id, field);
  }

  private stringLiteral(value: string, t: ValueType): string {
    return `((${this.ctypes.name(t)}){ .s = ${cString(value)} })`;
  }

  /** A block expression: its statements are emitted in a nested C statement expression. */
  private blockExpr(e: A.BlockExpr): string {
    const saved = this.lines.length;
    const savedIndent = this.indent;
    this.indent = 0;
    this.block(e.statements);
    const body = this.lines.splice(saved).join(' ');
    this.indent = savedIndent;
    const value = e.value ? this.expr(e.value) : '0';
    return `({ ${body} ${value}; })`;
  }

  private binary(e: A.Binary): string {
    const lt = this.typeOf(e.left);
    const rt = this.typeOf(e.right);
    if ((e.op === '==' || e.op === '!=') && lt.kind === 'string' && rt.kind === 'string') {
      const a = this.name('sa');
      const b = this.name('sb');
      const eq = `({ ${this.ctypes.name(lt)} ${a} = ${this.expr(e.left)}; ${this.ctypes.name(rt)} ${b} = ${this.expr(e.right)}; bs_streq(${a}.s, ${lt.size}, ${b}.s, ${rt.size}); })`;
      return e.op === '==' ? `((__u8)${eq})` : `((__u8)!${eq})`;
    }
    const l = this.expr(e.left);
    const r = this.expr(e.right);
    const step = this.types.pointerSteps.get(e);
    if (step !== undefined) {
      const [p, n] = lt.kind === 'pointer' ? [l, r] : [r, l];
      return `((__u64)(${p}) ${e.op} (__u64)((__s64)(${n}) * ${step}))`;
    }
    if (e.op === '&&' || e.op === '||') return `((__u8)(((${l}) != 0) ${e.op} ((${r}) != 0)))`;
    // Pointers compare as addresses (unsigned): kernel addresses have the top bit set.
    const signed = (isSignedT(lt) || isSignedT(rt)) && lt.kind !== 'pointer' && rt.kind !== 'pointer';
    const ct = signed ? '__s64' : '__u64';
    if (['==', '!=', '<', '<=', '>', '>='].includes(e.op)) return `((__u8)((${ct})(${l}) ${e.op} (${ct})(${r})))`;
    const resultT = this.typeOf(e);
    const rct = isSignedT(resultT) ? '__s64' : '__u64';
    // BPF before ISA v4 has no signed division: prelude helpers do it with unsigned ops.
    if ((e.op === '/' || e.op === '%') && rct === '__s64') return `${e.op === '/' ? 'bs_sdiv' : 'bs_smod'}((__s64)(${l}), (__s64)(${r}))`;
    return `((${rct})(${ct})(${l}) ${e.op} (${rct})(${ct})(${r}))`;
  }

  private update(e: A.Update): string {
    const op = e.op === '++' ? '+' : '-';
    if (e.target.kind === 'Variable') {
      const v = this.v(e.target);
      return e.prefix ? `(${e.op}${v})` : `(${v}${e.op})`;
    }
    const ref = e.target.kind === 'MapRef' ? e.target : e.target.map;
    const keys = e.target.kind === 'MapAccess' ? e.target.keys : [];
    const map = this.state.map(ref.name);
    const key = this.name('key');
    const kind = map.info.value;
    const keyInit = `${map.cKeyType} ${key} = ${keys.length ? this.mapKeyValue(ref.name, keys) : '0'};`;
    if (kind.kind !== 'plain') {
      const read = this.aggregateRead(map.cName, `&${key}`, kind);
      return `({ ${keyInit} __s64 __before = ${read}; ${this.aggregateAdd(map.cName, key, kind, op === '+' ? '1' : '-1')}; ${e.prefix ? `__before ${op} 1` : '__before'}; })`;
    }
    const p = this.name('p');
    const nv = this.name('nv');
    return `({ ${keyInit} ${map.cValueType} *${p} = bpf_map_lookup_elem(&${map.cName}, &${key}); ${map.cValueType} ${nv} = (${p} ? *${p} : 0) ${op} 1; bpf_map_update_elem(&${map.cName}, &${key}, &${nv}, BPF_ANY); ${e.prefix ? nv : `${nv} ${op === '+' ? '-' : '+'} 1`}; })`;
  }

  /** Synchronous read of an aggregate: `keyPtr` is a C pointer to the BPF key. */
  private aggregateRead(mapC: string, keyPtr: string, kind: MapValueKind): string {
    switch (kind.kind) {
      case 'count':
      case 'sum':
        return `bs_percpu_sum(&${mapC}, ${keyPtr})`;
      case 'min':
      case 'max':
        return `bs_percpu_minmax(&${mapC}, ${keyPtr}, ${kind.kind === 'max' ? 1 : 0}, ${kind.signed ? 1 : 0})`;
      case 'avg':
        return `bs_percpu_avg(&${mapC}, ${keyPtr})`;
      default:
        throw new Error(`internal: no synchronous read of ${kind.kind}`);
    }
  }

  private mapRead(e: A.MapRef | A.MapAccess): string {
    const ref = e.kind === 'MapRef' ? e : e.map;
    const keys = e.kind === 'MapAccess' ? e.keys : [];
    const map = this.state.map(ref.name);
    const key = this.name('key');
    const keyInit = `${map.cKeyType} ${key} = ${keys.length ? this.mapKeyValue(ref.name, keys) : '0'};`;
    const kind = map.info.value;
    if (kind.kind !== 'plain') return `({ ${keyInit} ${this.aggregateRead(map.cName, `&${key}`, kind)}; })`;
    const p = this.name('p');
    const zero = this.zeroInit(kind.type) === '0' ? '0' : `(${map.cValueType}){}`;
    return `({ ${keyInit} ${map.cValueType} *${p} = bpf_map_lookup_elem(&${map.cName}, &${key}); ${p} ? *${p} : ${zero}; })`;
  }

  /** Converts a C value between compatible types (int widths, string capacities, tuple elements). */
  convert(c: string, from: ValueType, to: ValueType, explicit = false): string {
    if (to.kind === 'array' || (to.kind === 'int' && from.kind === 'array')) {
      if (from.kind === to.kind && this.ctypes.name(from) === this.ctypes.name(to)) return c;
      // Same bytes, another type (the type pass checked the sizes match).
      const src = this.name('src');
      const dst = this.name('dst');
      return `({ ${this.ctypes.name(from)} ${src} = ${c}; ${this.ctypes.name(to)} ${dst}; __builtin_memcpy(&${dst}, &${src}, sizeof(${dst})); ${dst}; })`;
    }
    if (to.kind === 'int' || to.kind === 'bool' || to.kind === 'pointer') {
      if (to.kind === 'bool') return `((__u8)((${c}) != 0))`;
      if (from.kind === 'int' && to.kind === 'int' && from.size === to.size && from.signed === to.signed && !explicit) return c;
      return `((${this.ctypes.name(to)})(${c}))`;
    }
    if (to.kind === 'string' && from.kind === 'string') {
      if (from.size === to.size) return c;
      const src = this.name('src');
      const dst = this.name('dst');
      const n = Math.min(from.size, to.size);
      return `({ ${this.ctypes.name(from)} ${src} = ${c}; ${this.ctypes.name(to)} ${dst} = {}; __builtin_memcpy(${dst}.s, ${src}.s, ${n}); ${dst}.s[${to.size - 1}] = 0; ${dst}; })`;
    }
    if (to.kind === 'tuple' && from.kind === 'tuple') {
      if (this.ctypes.name(from) === this.ctypes.name(to)) return c;
      const src = this.name('src');
      const parts = to.elements.map((el, i) => `.f${i} = ${this.convert(`${src}.f${i}`, from.elements[i].type, el.type)}`);
      return `({ ${this.ctypes.name(from)} ${src} = ${c}; (${this.ctypes.name(to)}){ ${parts.join(', ')} }; })`;
    }
    if (to.kind === 'record' && from.kind === 'record') {
      if (this.ctypes.name(from) === this.ctypes.name(to)) return c;
      const src = this.name('src');
      const parts = to.fields.map((f, i) => `.${recordField(f.name)} = ${this.convert(`${src}.${recordField(from.fields[i].name)}`, from.fields[i].type, f.type)}`);
      return `({ ${this.ctypes.name(from)} ${src} = ${c}; (${this.ctypes.name(to)}){ ${parts.join(', ')} }; })`;
    }
    return c;
  }

  // ------------------------------------------------------------ builtin contexts

  private emitContextCache?: EmitContext;

  emitContext(): EmitContext {
    if (this.emitContextCache) return this.emitContextCache;
    const self = this;
    const { expanded } = this.types.instance;
    this.emitContextCache = {
      probe: expanded,
      config: this.config,
      expr: (n) => self.expr(n),
      typeOf: (n) => self.typeOf(n),
      ctype: (t) => self.ctypes.name(t),
      map: (n) => {
        if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
        return self.state.map(n.name).info;
      },
      mapKey: (n, keys) => {
        if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
        const m = self.state.map(n.name);
        return { cType: m.cKeyType, c: keys.length ? self.mapKeyValue(n.name, keys) : '0' };
      },
      declare: (c) => self.state.declare(c),
      checkHelper: (helper, call, span) => self.checkHelper(helper, call, span),
      action: (a) => self.state.addAction(a),
      event: (id, fields) => self.event(id, fields),
      temp: (t) => {
        const n = self.name('tmp');
        self.temps.push(`${self.ctypes.name(t)} ${n} = ${self.zeroInit(t)}`);
        return n;
      },
      setting: (name) => `bs_settings.${name}`,
      probeName: () => {
        const t: ValueType = { kind: 'string', size: Buffer.byteLength(expanded.name) + 1 };
        return `((${self.ctypes.name(t)}){ .s = ${cString(expanded.name)} })`;
      },
      constant: (n) => self.types.constants.get(n),
    };
    return this.emitContextCache;
  }

  private event(id: number, fields: { type: ValueType; c: string }[]): { c: string; offsets: number[] } {
    const { offsets } = layoutFields([uint64, ...fields.map((f) => f.type)]);
    const structName = this.state.eventStruct(id, fields.map((f) => f.type), this.ctypes);
    const ev = this.name('ev');
    const assigns = fields.map((f, i) => `${ev}->f${i} = ${f.c};`).join(' ');
    const c = `({ ${structName} *${ev} = bpf_ringbuf_reserve(&bs_events, sizeof(${structName}), 0); if (${ev}) { ${ev}->id = ${id}; ${assigns} bpf_ringbuf_submit(${ev}, 0); } else { bs_drop(); } })`;
    return { c, offsets: offsets.slice(1) };
  }
}

/** Whether a member access on a value of type `t` is on a struct the script defines (pointer to it, or a value of it). */
function isScriptStructAccess(t: ValueType): boolean {
  return (t.kind === 'pointer' || t.kind === 'struct') && t.btfId === undefined;
}

/**
 * Reads memory that may be kernel or user memory (a pointer the script cast
 * from an integer, in any kind of probe): the kernel first, then user space.
 */
const PROBE_READ_ANY = `static __always_inline long bs_probe_read(void *dst, __u32 size, const void *src)
{
  long r = bpf_probe_read_kernel(dst, size, src);
  if (r < 0)
    r = bpf_probe_read_user(dst, size, src);
  return r;
}
`;

function containsMapFor(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(containsMapFor);
  const n = node as { kind?: string; iterable?: { kind?: string } };
  if (n.kind === 'For' && n.iterable?.kind === 'MapRef') return true;
  return Object.entries(node).some(([k, v]) => k !== 'span' && typeof v === 'object' && containsMapFor(v));
}

function varName(id: string): string {
  return `v_${id.slice(1).replace('#', '_')}`;
}

function isSignedT(t: ValueType): boolean {
  return t.kind === 'int' && t.signed;
}

export function intLiteral(v: bigint, signed: boolean): string {
  if (signed) {
    const s = BigInt.asIntN(64, v);
    // INT64_MIN has no literal form in C.
    if (s === -0x8000000000000000n) return '((__s64)0x8000000000000000ULL)';
    return s < 0n ? `(${s}LL)` : `${s}LL`;
  }
  return `${BigInt.asUintN(64, v)}ULL`;
}

export { int64 };
