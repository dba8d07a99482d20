// The running kernel's BTF: vmlinux, and module BTF (split BTF on top of
// vmlinux) opened only when a name is not found in vmlinux.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { timings } from '../../sdk/index.ts';
import { Btf } from './btf.ts';
import type { BtfParam, FuncSignature, TypeId } from './model.ts';
import type { KindName } from './format.ts';
import { readMemberLayout, type MemberLayout } from './member-layout.ts';
import { ownNamesStartingWith } from './name-prefix.ts';

export const KERNEL_BTF_DIR = '/sys/kernel/btf';

/** A type found in some BTF blob: ask `btf` about `id` (a module's Btf also answers for vmlinux ids). */
export interface BtfRef {
  btf: Btf;
  id: TypeId;
}

export class KernelBtf {
  private vmlinuxBtf: Btf | undefined;
  private readonly modules = new Map<string, Btf | null>(); // null: failed to open
  private moduleList: string[] | undefined;
  private readonly layouts = new Map<string, MemberLayout | undefined>();

  constructor(readonly dir: string = KERNEL_BTF_DIR) {}

  /** vmlinux's BTF, read on first use. */
  get vmlinux(): Btf {
    return (this.vmlinuxBtf ??= timings.measure('BTF', () => Btf.open(join(this.dir, 'vmlinux'))));
  }

  /** Names of the modules that have BTF (`ls /sys/kernel/btf` less vmlinux). */
  moduleNames(): string[] {
    if (!this.moduleList) {
      let names: string[] = [];
      try {
        names = readdirSync(this.dir).filter((n) => n !== 'vmlinux').sort();
      } catch {
        // no module BTF directory: vmlinux only
      }
      this.moduleList = names;
    }
    return this.moduleList;
  }

  /** A module's split BTF (base = vmlinux), or undefined if it has none. */
  module(name: string): Btf | undefined {
    if (!this.modules.has(name)) {
      let btf: Btf | null = null;
      if (this.moduleNames().includes(name)) {
        try {
          btf = Btf.open(join(this.dir, name), this.vmlinux);
        } catch {
          btf = null; // a module unloaded meanwhile, or unreadable: skip it
        }
      }
      this.modules.set(name, btf);
    }
    return this.modules.get(name) ?? undefined;
  }

  /** Every BTF to search, vmlinux first; modules are opened lazily as the iteration reaches them. */
  *all(): IterableIterator<Btf> {
    yield this.vmlinux;
    for (const name of this.moduleNames()) {
      const m = this.module(name);
      if (m) yield m;
    }
  }

  /** The first of vmlinux, then each module, that answers `query` (a module's own types only). */
  private search<T>(query: (btf: Btf) => T | undefined): { btf: Btf; value: T } | undefined {
    for (const btf of this.all()) {
      const value = query(btf);
      if (value !== undefined) return { btf, value };
    }
    return undefined;
  }

  /** A type by kind and name: vmlinux first, then modules. */
  findByName(kinds: KindName | readonly KindName[] | undefined, name: string): BtfRef | undefined {
    const hit = this.search((btf) => btf.findAllByName(name, kinds).find((id) => id >= btf.startId && btf.kindOf(id) !== 'fwd'));
    return hit && { btf: hit.btf, id: hit.value };
  }

  funcProto(name: string): { btf: Btf; signature: FuncSignature } | undefined {
    const hit = this.search((btf) => {
      const id = btf.findAllByName(name, 'func').find((i) => i >= btf.startId);
      return id === undefined ? undefined : btf.signature(id);
    });
    return hit && { btf: hit.btf, signature: hit.value };
  }

  rawTracepointArgs(name: string): { btf: Btf; args: BtfParam[] } | undefined {
    const hit = this.search((btf) => (btf.findAllByName(`btf_trace_${name}`, 'typedef').some((i) => i >= btf.startId) ? btf.rawTracepointArgs(name) : undefined));
    return hit && { btf: hit.btf, args: hit.value };
  }

  /** Every raw tracepoint (a `btf_trace_<event>` typedef) of vmlinux and of each module with BTF, sorted by module (vmlinux first), then event. */
  rawTracepoints(): { module: string; event: string }[] {
    const out: { module: string; event: string }[] = [];
    for (const btf of this.all()) {
      const module = btf === this.vmlinuxBtf ? 'vmlinux' : btf.name;
      for (const name of ownNamesStartingWith(btf, 'btf_trace_', 'typedef')) out.push({ module, event: name.slice('btf_trace_'.length) });
    }
    return out;
  }

  tracepointStruct(name: string): BtfRef | undefined {
    return this.findByName('struct', `trace_event_raw_${name}`);
  }

  /** A direct member of a vmlinux struct: from the whole BTF when it is read, else from a few reads of the file. */
  memberLayout(structName: string, memberName: string): MemberLayout | undefined {
    const key = `${structName}.${memberName}`;
    if (!this.layouts.has(key)) this.layouts.set(key, this.vmlinuxBtf ? layoutIn(this.vmlinuxBtf, structName, memberName) : readMemberLayout(join(this.dir, 'vmlinux'), structName, memberName));
    return this.layouts.get(key);
  }
}

function layoutIn(btf: Btf, structName: string, memberName: string): MemberLayout | undefined {
  const id = btf.findByName('struct', structName);
  const m = id === undefined ? undefined : btf.members(id).find((x) => x.name === memberName);
  if (!m || m.bitSize || m.bitOffset % 8) return undefined;
  return { offset: m.bitOffset / 8, size: btf.sizeof(m.type) };
}

let shared: KernelBtf | undefined;

/** The process-wide KernelBtf for /sys/kernel/btf (opened lazily). */
export function kernelBtf(): KernelBtf {
  return (shared ??= new KernelBtf());
}
