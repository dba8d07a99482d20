// ASTs as JSON, exactly: what the parser builds is plain records, arrays,
// strings, booleans, finite numbers and bigints (integer literals), each
// object held once. The encoding refuses anything else (a shared object,
// a class instance, an undefined member, -0, NaN...), so that decoding
// always gives a tree equal to the one encoded, never a near copy.

/** Whether `value` is a tree JSON keeps exactly (bigints aside, encoded below). */
export function isPlainTree(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'bigint':
        continue;
      case 'number':
        if (!Number.isFinite(v) || Object.is(v, -0)) return false;
        continue;
      case 'object':
        break;
      default:
        return false;
    }
    if (v === null) continue;
    if (seen.has(v)) return false;
    seen.add(v);
    if (Array.isArray(v)) {
      if (Object.getOwnPropertyNames(v).length !== v.length + 1) return false; // holes or extra members
      stack.push(...(v as unknown[]));
      continue;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype || Object.getOwnPropertySymbols(v).length > 0) return false;
    const keys = Object.keys(v);
    if (keys.length !== Object.getOwnPropertyNames(v).length || keys.includes('$bigint')) return false;
    for (const k of keys) stack.push((v as Record<string, unknown>)[k]);
  }
  return true;
}

/** JSON of a plain tree (isPlainTree), bigints as `{"$bigint": "..."}`. */
export function treeToJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

export function treeFromJson<T>(json: string): T {
  return JSON.parse(json, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && '$bigint' in v) return BigInt((v as { $bigint: string }).$bigint);
    return v;
  }) as T;
}
