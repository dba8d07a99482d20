// runtime-libbpf as the SDK's Runtime: the seam between the session and the
// classes of this room (BpfObject, RingBufferReader + EventPump, perf events,
// the static linker, clocks, the feature probes). The plugin binds one
// instance to `Services.Runtime`.
import { definePlugin, Services, type ClockName, type EventStream, type KernelFeatures, type PerfEventOptions, type RecordHandler, type Runtime, type RuntimeMap } from '../../../sdk/index.ts';
import { Clock, clockNs, localStrftime } from './clock.ts';
import { errnoMessage } from './errors.ts';
import { kfuncAllowed } from './kfunc-probe.ts';
import { detectFeatures } from './kernel-features.ts';
import { linkObjects } from './linker.ts';
import { BpfObject } from './object.ts';
import { closeFd, numPossibleCpus, onlineCpus, perfEventOpen } from './perf.ts';
import { EventPump, RingBufferReader } from './ringbuf.ts';
import { LibbpfMap } from './runtime-map.ts';
import { LibbpfObject } from './runtime-object.ts';
import { libbpfVersion } from './version.ts';

const CLOCKS: Record<ClockName, number> = { realtime: Clock.REALTIME, boottime: Clock.BOOTTIME, monotonic: Clock.MONOTONIC };

export class LibbpfRuntime implements Runtime {
  readonly name = 'libbpf';

  /** Asks libbpf itself, so it is only loaded when the version is wanted. */
  get version(): string {
    return libbpfVersion();
  }

  open(objectPath: string, options: { name?: string } = {}): LibbpfObject {
    return new LibbpfObject(BpfObject.open(objectPath, options), objectPath);
  }

  link(outPath: string, inputs: readonly string[]): void {
    linkObjects(outPath, inputs);
  }

  events(map: RuntimeMap, size: number, onRecord: RecordHandler, options: { onError?(error: unknown): void } = {}): EventStream {
    if (!(map instanceof LibbpfMap)) throw new TypeError(`map '${map.name}' is not a map of this runtime`);
    const reader = new RingBufferReader(map.map.fd, size);
    const pump = new EventPump(reader, onRecord, { onError: options.onError });
    return {
      start: () => pump.start(),
      stop: () => pump.stop(),
      flush: () => pump.flush(),
      close: () => {
        pump.stop();
        reader.close();
      },
    };
  }

  perfEventOpen(options: PerfEventOptions): number {
    // The SDK names breakpoint fields; perf_event_attr keeps them in config1/config2.
    const { bpAddr, bpLen, ...rest } = options;
    return perfEventOpen({ ...rest, config1: bpAddr, config2: bpLen === undefined ? undefined : BigInt(bpLen) });
  }

  closeFd(fd: number): void {
    closeFd(fd);
  }

  onlineCpus(): number[] {
    return onlineCpus();
  }

  possibleCpus(): number {
    return numPossibleCpus();
  }

  errnoMessage(errno: number): string {
    return errnoMessage(errno);
  }

  clockNs(clock: ClockName): bigint {
    return clockNs(CLOCKS[clock]);
  }

  strftime(format: string, epochSeconds: bigint, maxBytes?: number): string | undefined {
    return localStrftime(format, epochSeconds, maxBytes);
  }

  features(off?: ReadonlySet<string>): KernelFeatures {
    return detectFeatures(off);
  }

  kfuncAllowed(name: string, section: string): boolean {
    return kfuncAllowed(name, section);
  }
}

export const libbpfRuntimePlugin = definePlugin('runtime-libbpf', ({ bind }) => {
  bind(Services.Runtime).toConstantValue(new LibbpfRuntime());
});
