// The export plugin: while a run goes, its maps are served to Prometheus
// (`--export prometheus[=ADDR]`) and pushed over OTLP (`--export otlp=URL`).
// It taps the session's hooks: `running` starts the exporters with the run's
// session, `exit` pushes the final values, `closed` stops everything however
// the run ended. The command line makes it with the targets it was given.
import { definePlugin, Services, type BpfscriptPlugin, type Hooks, type HookTap, type RunSession } from '../../sdk/index.ts';
import { MapMetrics } from './map-metrics.ts';
import { addressText, PrometheusEndpoint, type ListenAddress } from './prometheus.ts';
import { OtlpPusher } from './otlp.ts';

export type ExportTarget = ({ kind: 'prometheus' } & ListenAddress) | { kind: 'otlp'; url: string };

export interface ExportOptions {
  /** -q: no message saying where metrics are served. */
  quiet?: boolean;
  /** The OTLP push interval (default: OTEL_METRIC_EXPORT_INTERVAL, else 60 s). */
  otlpIntervalMs?: number;
}

interface RunningExporter {
  /** The run ended normally: send what is final. */
  finish?(): Promise<void>;
  close(): void;
}

async function startExporter(target: ExportTarget, metrics: MapMetrics, session: RunSession, options: ExportOptions): Promise<RunningExporter> {
  if (target.kind === 'prometheus') {
    const endpoint = await PrometheusEndpoint.start(target, metrics, session.writer);
    if (!options.quiet) session.writer.err(`Serving metrics on http://${addressText(endpoint.address)}/metrics\n`);
    return endpoint;
  }
  return new OtlpPusher(target.url, metrics, session.writer, options.otlpIntervalMs);
}

class ExportTap implements HookTap {
  readonly name = 'export';

  constructor(
    private readonly targets: readonly ExportTarget[],
    private readonly options: ExportOptions,
  ) {}

  apply(hooks: Hooks): void {
    const running: RunningExporter[] = [];
    hooks.running.tapPromise(this.name, async (session) => {
      const metrics = new MapMetrics(session);
      for (const target of this.targets) running.push(await startExporter(target, metrics, session, this.options));
    });
    hooks.exit.tapPromise(this.name, async () => {
      for (const e of running) await e.finish?.();
    });
    hooks.closed.tap(this.name, () => {
      for (const e of running.splice(0)) e.close();
    });
  }
}

/** The export plugin for these targets. */
export function exportPlugin(targets: readonly ExportTarget[], options: ExportOptions = {}): BpfscriptPlugin {
  return definePlugin('export', ({ bind }) => {
    bind(Services.HookTap).toConstantValue(new ExportTap(targets, options));
  });
}
