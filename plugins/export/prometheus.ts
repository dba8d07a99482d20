// `--export prometheus[=ADDR]`: an HTTP server whose /metrics reads the maps
// at each scrape and answers in Prometheus's text format, or in OpenMetrics
// when the scraper asks for it (Prometheus does). prom-client's Registry
// writes the exposition (names, escaping, content types); the map families
// are registered as its custom metrics, because a BPF map arrives already
// aggregated (bucket counts, sums and counts) where prom-client's own
// Histogram and Summary count observations one by one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import promClient from 'prom-client';
import type { OutputWriter } from '../../sdk/index.ts';
import type { MetricFamily } from './families.ts';
import type { MetricSource } from './map-metrics.ts';

const { Registry } = promClient;

/** One sample line: `metricName` when it is not the family's name (`_bucket`, `_sum`, `_count`). */
interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** The samples of a family, as prom-client's metrics return them from get(). */
export function familySamples(f: MetricFamily, name: string): Sample[] {
  switch (f.kind) {
    case 'counter':
    case 'gauge':
      return f.points.map((p) => ({ labels: p.labels, value: p.value }));
    case 'summary':
      return f.points.flatMap((p) => [
        { metricName: `${name}_sum`, labels: p.labels, value: p.sum },
        { metricName: `${name}_count`, labels: p.labels, value: p.count },
      ]);
    case 'histogram':
      return f.points.flatMap((p) => {
        const samples: Sample[] = [];
        let cumulative = 0;
        p.bounds.forEach((le, i) => {
          cumulative += p.counts[i]!;
          samples.push({ metricName: `${name}_bucket`, labels: { ...p.labels, le }, value: cumulative });
        });
        samples.push({ metricName: `${name}_bucket`, labels: { ...p.labels, le: '+Inf' }, value: p.count });
        // hist()/lhist() keep no sum of the values in the kernel: only the count goes out.
        samples.push({ metricName: `${name}_count`, labels: p.labels, value: p.count });
        return samples;
      });
  }
}

/** A family as a prom-client metric (the Registry asks it for its values). */
function promMetric(f: MetricFamily) {
  // Counters are named `_total` in the text format; for OpenMetrics the Registry
  // renames the family without it and puts the suffix on the samples itself.
  const metric = {
    name: f.kind === 'counter' ? `${f.name}_total` : f.name,
    help: f.help,
    type: f.kind,
    aggregator: 'sum' as const,
    get: async () => ({ name: metric.name, help: f.help, type: f.kind, aggregator: 'sum', values: familySamples(f, metric.name) }),
    reset() {},
  };
  return metric;
}

/** The exposition text of the families, in OpenMetrics when `openMetrics`. */
export async function exposition(families: readonly MetricFamily[], openMetrics: boolean): Promise<{ contentType: string; text: string }> {
  const registry = new Registry<promClient.RegistryContentType>();
  registry.setContentType(openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  // prom-client's Registry takes any object with its metrics' shape.
  for (const f of families) registry.registerMetric(promMetric(f) as unknown as promClient.Metric);
  return { contentType: registry.contentType, text: await registry.metrics() };
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, with IPv6 hosts in brackets. */
export function addressText(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

export class PrometheusEndpoint {
  /** Whether a failed scrape was reported already (once per run is enough). */
  #warned = false;
  readonly #server: Server;
  /** Where it listens (the port the kernel chose for port 0). */
  address: ListenAddress;

  private constructor(
    address: ListenAddress,
    private readonly metrics: MetricSource,
    private readonly w: OutputWriter,
  ) {
    this.address = address;
    this.#server = createServer((req, res) => void this.answer(req, res));
  }

  /** Listens on `address`; a refusal (address in use) is an error naming the address. */
  static async start(address: ListenAddress, metrics: MetricSource, w: OutputWriter): Promise<PrometheusEndpoint> {
    const endpoint = new PrometheusEndpoint(address, metrics, w);
    const server = endpoint.#server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`cannot serve metrics on ${addressText(address)}: ${e.code ?? e.message}`)));
      server.listen(address.port, address.host, () => resolve());
    });
    const bound = server.address();
    if (typeof bound === 'object' && bound) endpoint.address = { host: address.host, port: bound.port };
    return endpoint;
  }

  close(): void {
    this.#server.close();
    this.#server.closeAllConnections();
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('bpfscript serves /metrics\n');
      return;
    }
    try {
      const { contentType, text } = await exposition(this.metrics.collect(), /application\/openmetrics-text/.test(req.headers.accept ?? ''));
      res.writeHead(200, { 'Content-Type': contentType }).end(req.method === 'HEAD' ? undefined : text);
    } catch (e) {
      // A map that cannot be read now (the run is ending) fails this scrape, not the run.
      if (!this.#warned) this.w.err(`WARNING: metrics scrape failed: ${(e as Error).message}\n`);
      this.#warned = true;
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(e as Error).message}\n`);
    }
  }
}
