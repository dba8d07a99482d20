// Program-wide codegen state: maps (C names, layouts, Manifest entries),
// async actions and their event record structs.
import type { Action, BpfMapType, MapInfo, MapValueKind, ValueType } from '../manifest/index.ts';
import type { MapTypeInfo } from '../passes/types/index.ts';
import type { NewAction, RuntimeConfig } from '../../sdk/index.ts';
import { errorAt, type Span } from '../diagnostics/index.ts';
import { layoutFields, sizeOf, uint64 } from '../types/index.ts';
import { histBucketCount, lhistBucketCount } from '../manifest/index.ts';
import type { CTypeRegistry } from './ctypes.ts';
import type { PluginCRegion } from './plugin-c.ts';

export interface MapCodegen {
  info: MapInfo;
  cName: string;
  cKeyType: string;
  cValueType: string;
  /** hist/lhist maps key on (user key, bucket); tseries on (user key, slot). */
  bucketed: boolean;
  declaration: string;
}

export function mapCName(name: string): string {
  return name === '@' ? 'map_' : `map_${name.slice(1)}`;
}

const declaredFlavor: Record<string, [BpfMapType, BpfMapType]> = {
  hash: ['hash', 'percpu_hash'],
  lruhash: ['lru_hash', 'lru_percpu_hash'],
  percpuhash: ['percpu_hash', 'percpu_hash'],
  percpulruhash: ['lru_percpu_hash', 'lru_percpu_hash'],
};

const bpfMapTypeC: Record<BpfMapType, string> = {
  hash: 'BPF_MAP_TYPE_HASH',
  percpu_hash: 'BPF_MAP_TYPE_PERCPU_HASH',
  lru_hash: 'BPF_MAP_TYPE_LRU_HASH',
  lru_percpu_hash: 'BPF_MAP_TYPE_LRU_PERCPU_HASH',
  array: 'BPF_MAP_TYPE_ARRAY',
  percpu_array: 'BPF_MAP_TYPE_PERCPU_ARRAY',
};

function mapDeclaration(info: MapInfo, cKeyType: string, cValueType: string): string {
  return [
    'struct {',
    `  __uint(type, ${bpfMapTypeC[info.bpfType]});`,
    `  __uint(max_entries, ${info.maxEntries});`,
    `  __type(key, ${cKeyType});`,
    `  __type(value, ${cValueType});`,
    `} ${info.cName} SEC(".maps");`,
    '',
  ].join('\n');
}

/** The C type of a bucket index into a histogram's per-CPU array: the aggregations set its `bucket` as in a hash key. */
const BUCKET_INDEX_TYPE = 'struct bs_bucket_index';

/**
 * A keyless count() map as one per-CPU array slot, a keyless hist()/lhist()
 * map as one slot per bucket (counter-arrays.ts). An array's key is a u32 index
 * (the kernel checks its BTF); a histogram's update writes the index through
 * a 4-byte struct with a `bucket` member, as it writes a hash key's.
 */
function arrayMap(m: MapTypeInfo, value: MapValueKind): MapCodegen {
  const cName = mapCName(m.name);
  const bucketed = value.kind === 'hist' || value.kind === 'lhist';
  const maxEntries = value.kind === 'hist' ? histBucketCount(value.bits) : value.kind === 'lhist' ? lhistBucketCount(value.min, value.max, value.step) : 1;
  const info: MapInfo = { name: m.name, cName, bpfType: 'percpu_array', keyType: undefined, keySize: 4, value, valueSize: 8, maxEntries };
  return { info, cName, cKeyType: bucketed ? BUCKET_INDEX_TYPE : '__u32', cValueType: '__s64', bucketed, declaration: mapDeclaration(info, '__u32', '__s64') };
}

export class ProgramState {
  readonly actions: Action[] = [];
  private readonly maps = new Map<string, MapCodegen>();
  private readonly eventStructs = new Map<number, string>();
  /** By an event struct's members, the first struct declared with them; by struct tag, that first one's tag. */
  private readonly eventLayouts = new Map<string, string>();
  private readonly sameLayout = new Map<string, string>();
  readonly eventDecls: string[] = [];
  /** The types of every event record's fields (their enums reach the output). */
  readonly eventFields: ValueType[] = [];
  readonly declarations = new Set<string>();
  /** The maps of per-CPU probe frames (big-values.ts), sized by the loader. */
  readonly frameMaps: string[] = [];
  /** Framed C of third-party builtins (plugin-c.ts). */
  readonly pluginRegions: PluginCRegion[] = [];
  /** The builtin calls being emitted, innermost last (plugin-c.ts). */
  readonly calls: Span[] = [];
  /** By action id: the builtin call that registered the action, where one did (run-time errors of its handler point there). */
  readonly actionCalls: (Span | undefined)[] = [];

  /** The script's loops the verifier may refuse, by the number in their marker (loopMarker). */
  readonly loops: Span[] = [];

  /** A C comment naming the script loop `span` on its header line, for the verifier's refusals (core/session/loop-limits.ts). */
  loopMarker(span: Span): string {
    this.loops.push(span);
    return `/* bs_loop ${this.loops.length - 1} */`;
  }

  declare(c: string): void {
    this.declarations.add(c);
  }

  constructor(
    mapTypes: Map<string, MapTypeInfo>,
    private readonly ctypes: CTypeRegistry,
    config: RuntimeConfig,
    readonly positional: string[],
    /** Keyless count(), hist() and lhist() maps kept in per-CPU arrays (counter-arrays.ts). */
    arrayMaps: ReadonlySet<string> = new Set(),
  ) {
    for (const m of mapTypes.values()) {
      if (!m.value) throw errorAt(m.span, `Undefined map: ${m.name}`);
      this.maps.set(m.name, arrayMaps.has(m.name) ? arrayMap(m, m.value) : this.layoutMap(m, m.value, config));
    }
    if ([...this.maps.values()].some((m) => m.cKeyType === BUCKET_INDEX_TYPE)) this.eventDecls.push(`${BUCKET_INDEX_TYPE} {\n  __u32 bucket;\n};\n`);
  }

  private layoutMap(m: MapTypeInfo, value: MapValueKind, config: RuntimeConfig): MapCodegen {
    const cName = mapCName(m.name);
    const bucketed = value.kind === 'hist' || value.kind === 'lhist' || value.kind === 'tseries';
    const aggregated = value.kind !== 'plain';
    const flavor = declaredFlavor[m.declared?.mapType ?? 'hash'];
    const bpfType = flavor[aggregated ? 1 : 0];
    const userKey: ValueType = m.keyType ?? uint64;
    let cKeyType: string;
    let keySize: number;
    if (bucketed) {
      const { size } = layoutFields([userKey, uint64]);
      cKeyType = `struct bs_hkey_${cName}`;
      keySize = size;
      this.eventDecls.push(`${cKeyType} {\n  ${this.ctypes.name(userKey)} k;\n  __u64 bucket;\n};\n`);
    } else {
      cKeyType = this.ctypes.name(userKey);
      keySize = sizeOf(userKey);
    }
    let cValueType: string;
    let valueSize: number;
    switch (value.kind) {
      case 'plain':
        cValueType = this.ctypes.name(value.type);
        valueSize = sizeOf(value.type);
        break;
      case 'min':
      case 'max':
        cValueType = 'struct bs_minmax';
        valueSize = 16;
        break;
      case 'avg':
      case 'stats':
        cValueType = 'struct bs_avg';
        valueSize = 16;
        break;
      case 'tseries':
        cValueType = 'struct bs_tseries';
        valueSize = 24;
        break;
      default:
        cValueType = '__s64';
        valueSize = 8;
    }
    const maxEntries = m.declared?.maxEntries ?? config.maxMapKeys;
    const info: MapInfo = { name: m.name, cName, bpfType, keyType: m.keyType, keySize, value, valueSize, maxEntries };
    return { info, cName, cKeyType, cValueType, bucketed, declaration: mapDeclaration(info, cKeyType, cValueType) };
  }

  map(name: string): MapCodegen {
    const m = this.maps.get(name);
    if (!m) throw new Error(`internal: unknown map ${name}`);
    return m;
  }

  allMaps(): MapCodegen[] {
    return [...this.maps.values()].sort((a, b) => (a.info.name < b.info.name ? -1 : 1));
  }

  addAction(a: NewAction): number {
    const id = this.actions.length;
    this.actions.push({ ...a, id });
    this.actionCalls[id] = this.calls.at(-1);
    return id;
  }

  /** The tag of the first event struct laid out as `identifier` is (an event struct's tag), else `identifier`. */
  sameEventLayout(identifier: string): string {
    return this.sameLayout.get(identifier) ?? identifier;
  }

  /** The C struct of an event record `{ u64 id; f0; f1; ... }`. */
  eventStruct(id: number, fields: ValueType[], ctypes: CTypeRegistry): string {
    const known = this.eventStructs.get(id);
    if (known) return known;
    const name = `struct bs_event_${id}`;
    const members = fields.map((t, i) => `  ${ctypes.name(t)} f${i};`);
    const layout = members.join('\n');
    if (!this.eventLayouts.has(layout)) this.eventLayouts.set(layout, `bs_event_${id}`);
    this.sameLayout.set(`bs_event_${id}`, this.eventLayouts.get(layout)!);
    this.eventDecls.push(`${name} {\n  __u64 id;\n${members.join('\n')}\n};\n`);
    this.eventFields.push(...fields);
    this.eventStructs.set(id, name);
    return name;
  }
}
