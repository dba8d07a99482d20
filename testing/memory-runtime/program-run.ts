// What a scripted program does while it runs, in the compiled Manifest's
// terms: records of its actions (the action id, then values at the action's
// argument layouts) and entries of its maps (keys and values in the map's layout).
import type { Action, ArgLayout, MapInfo, ValueType } from '../../core/manifest/index.ts';
import { isArrayMap } from '../../core/manifest/index.ts';
import type { PrintfAction } from '../../sdk/index.ts';
import { sizeOf } from '../../core/types/index.ts';
import type { MemoryObject } from './object.ts';

/** Writes `value` of `type` at `offset` (ints, bools, strings and tuples of them: what tests send). */
export function encodeValue(view: DataView, offset: number, type: ValueType, value: unknown): void {
  switch (type.kind) {
    case 'int': {
      const v = BigInt(value as bigint | number);
      if (type.size === 8) view.setBigUint64(offset, BigInt.asUintN(64, v), true);
      else if (type.size === 4) view.setUint32(offset, Number(BigInt.asUintN(32, v)), true);
      else if (type.size === 2) view.setUint16(offset, Number(BigInt.asUintN(16, v)), true);
      else view.setUint8(offset, Number(BigInt.asUintN(8, v)));
      return;
    }
    case 'bool':
      view.setUint8(offset, value ? 1 : 0);
      return;
    case 'string': {
      const bytes = Buffer.from(String(value), 'utf8');
      if (bytes.length >= type.size) throw new RangeError(`"${String(value)}" does not fit a string of ${type.size} bytes`);
      bytes.forEach((b, i) => view.setUint8(offset + i, b));
      return;
    }
    case 'tuple':
      type.elements.forEach((e, i) => encodeValue(view, offset + e.offset, e.type, (value as unknown[])[i]));
      return;
    default:
      throw new TypeError(`the memory runtime does not encode ${type.kind} values`);
  }
}

/** What a scripted program can do while it runs: send records, write maps. */
export class ProgramRun {
  constructor(
    private readonly object: MemoryObject,
    /** The CPU it runs on (which copy of a per-CPU value it writes). */
    readonly cpu: number,
  ) {}

  /** Sends a record of `action`: its id, then `values` at its argument layouts (`args`, or print's `arg`). */
  send(action: Action, values: unknown[] = []): void {
    const fields = action as { args?: ArgLayout[]; arg?: ArgLayout };
    const layouts = fields.args ?? (fields.arg ? [fields.arg] : []);
    const size = Math.max(8, ...layouts.map((l) => l.offset + sizeOf(l.type)));
    const view = new DataView(new ArrayBuffer((size + 7) & ~7));
    view.setBigUint64(0, BigInt(action.id), true);
    layouts.forEach((l, i) => encodeValue(view, l.offset, l.type, values[i]));
    this.object.ring.push(new Uint8Array(view.buffer));
  }

  /** printf(format, values...): the record of the script's printf with this format. */
  printf(format: string, ...values: unknown[]): void {
    this.send(this.object.action((a) => a.kind === 'printf' && (a as PrintfAction).format === format, `printf("${format}")`), values);
  }

  /** exit(code). */
  exit(code: number): void {
    const action = this.object.action((a) => a.kind === 'exit', 'exit()');
    const view = new DataView(new ArrayBuffer(16));
    view.setBigUint64(0, BigInt(action.id), true);
    view.setBigInt64(8, BigInt(code), true);
    this.object.ring.push(new Uint8Array(view.buffer));
  }

  /**
   * The key bytes of a script map for a key value (a scalar map's is a u64 0);
   * histograms add the bucket index as the key's last u64, or are keyed by it
   * alone (a u32) in a keyless histogram's per-CPU array.
   */
  key(info: MapInfo, key: unknown, bucket?: number): Uint8Array {
    const view = new DataView(new ArrayBuffer(info.keySize));
    if (info.keyType) encodeValue(view, 0, info.keyType, key);
    if (bucket !== undefined && isArrayMap(info)) view.setUint32(0, bucket, true);
    else if (bucket !== undefined) view.setBigUint64(info.keySize - 8, BigInt(bucket), true);
    return new Uint8Array(view.buffer);
  }

  /** count()/sum(): adds `amount` under `key` on this CPU. */
  add(mapName: string, key: unknown, amount: bigint): void {
    const info = this.object.mapInfo(mapName);
    this.object.map(info.cName).addU64(this.key(info, key), amount, this.cpu);
  }

  /** hist()/lhist(): adds `amount` to bucket `bucket` (the BPF side's index) of `key` on this CPU. */
  addToBucket(mapName: string, key: unknown, bucket: number, amount = 1n): void {
    const info = this.object.mapInfo(mapName);
    this.object.map(info.cName).addU64(this.key(info, key, bucket), amount, this.cpu);
  }

  /** `@m[key] = value` for a plain map. */
  set(mapName: string, key: unknown, value: unknown): void {
    const info = this.object.mapInfo(mapName);
    if (info.value.kind !== 'plain') throw new TypeError(`${mapName} is a ${info.value.kind} map`);
    const view = new DataView(new ArrayBuffer(info.valueSize));
    encodeValue(view, 0, info.value.type, value);
    this.object.map(info.cName).update(this.key(info, key), new Uint8Array(view.buffer));
  }
}
