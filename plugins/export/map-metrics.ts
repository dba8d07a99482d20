// What an exporter reads on each scrape or push: every script map whose values
// fit a metric type, read from the running session (one batched read of the
// whole map per scrape: RuntimeMap.entries), as metric families.
import { manifestEnumNames, type MapInfo } from '../../core/manifest/index.ts';
import type { EnumNames } from '../../lib/render/index.ts';
import type { RunSession } from '../../sdk/index.ts';
import { familyKind, mapFamily, type MetricFamily } from './families.ts';
import { helpComments, mapHelp } from './help.ts';

/** What the exporters read: the metric families as they are now. */
export interface MetricSource {
  collect(): MetricFamily[];
}

export class MapMetrics implements MetricSource {
  readonly #maps: { info: MapInfo; help: string }[];
  readonly #enumNames: EnumNames;

  constructor(private readonly session: RunSession) {
    const comments = helpComments(session.sources?.values() ?? []);
    this.#maps = session.manifest.maps.filter((m) => familyKind(m.value) !== undefined).map((info) => ({ info, help: mapHelp(info, comments) }));
    this.#enumNames = manifestEnumNames(session.manifest);
  }

  /** The maps as they are now. */
  collect(): MetricFamily[] {
    return this.#maps.map(({ info, help }) => mapFamily(this.session.snapshot(info.name), help, this.#enumNames)!);
  }
}
