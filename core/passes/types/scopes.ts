// Scratch variables of one probe instance: block scopes, unique ids for
// variables of the same name, and the type each takes from its values.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { typeName, unify } from '../../types/index.ts';
import type { InstanceTypes } from './typed-program.ts';

export class VariableScopes {
  // Variables are block scoped, as upstream's: a variable first assigned in a
  // block is gone after it, and a later one of the same name is a new variable.
  private readonly scopes: Map<string, string>[] = [new Map()];
  /** Variables whose type typeinfo/typeof/sizeof looked at: it may not change afterwards. */
  private readonly inspectedVars = new Set<string>();
  /** Variables declared with a type (`let $x: uint8`): their type never widens. */
  private readonly declaredVars = new Set<string>();
  /** Variables read so far. */
  private readonly readVars = new Set<string>();
  /**
   * Set when a variable's type widened after it was read (`$a = ("hi", 1);
   * print($a); $a = ("hello", 2);`): the reads before took the narrower type,
   * so the instance is checked again, starting from the final types.
   */
  widenedAfterRead?: A.Variable;
  /** Variables declared without type or value (`let $x;`): the first value gives the type. */
  private readonly untypedVars = new Set<string>();

  constructor(
    private readonly result: InstanceTypes,
    /** The final variable types of an earlier check of the same instance (by id), to start from. */
    private readonly startTypes?: ReadonlyMap<string, ValueType>,
  ) {}

  scoped(fn: () => void): void {
    this.scopes.push(new Map());
    try {
      fn();
    } finally {
      this.scopes.pop();
    }
  }

  lookup(name: string): string | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const id = this.scopes[i].get(name);
      if (id) return id;
    }
    return undefined;
  }

  private declare(name: string): string {
    let id = name;
    for (let n = 2; this.result.varTypes.has(id); n++) id = `${name}#${n}`;
    this.scopes[this.scopes.length - 1].set(name, id);
    return id;
  }

  /** The type of a variable reference; a located error if it is not declared in scope. */
  read(v: A.Variable): ValueType {
    const id = this.lookup(v.name);
    if (!id) throw errorAt(v.span, `Undefined or undeclared variable: ${v.name}`);
    this.result.varIds.set(v, id);
    this.readVars.add(id);
    // Read before any value: it is the int64 it reads as.
    this.untypedVars.delete(id);
    return this.result.varTypes.get(id)!;
  }

  /** Gives `v` a value of type `t`: declares it in the innermost scope if new, else widens its type. */
  define(v: A.Variable, t: ValueType): void {
    const id = this.lookup(v.name) ?? this.declare(v.name);
    this.result.varIds.set(v, id);
    if (this.untypedVars.delete(id)) {
      this.result.varTypes.set(id, t);
      return;
    }
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
      if (this.readVars.has(id) && typeName(u) !== typeName(prev)) this.widenedAfterRead ??= v;
      this.result.varTypes.set(id, u);
    } else {
      const start = this.startTypes?.get(id);
      this.result.varTypes.set(id, (start && unify(start, t)) || t);
    }
  }

  /** `let $x: T`: the variable `v` refers to keeps type T. */
  markDeclared(v: A.Variable): void {
    this.declaredVars.add(this.result.varIds.get(v)!);
  }

  /** `let $x;`: the variable `v` refers to takes the type of its first value (int64 until then). */
  markUntyped(v: A.Variable): void {
    this.untypedVars.add(this.result.varIds.get(v)!);
  }

  /** typeinfo/typeof/sizeof looked at the variable `v` refers to. */
  markInspected(v: A.Variable): void {
    this.inspectedVars.add(this.result.varIds.get(v)!);
  }
}
