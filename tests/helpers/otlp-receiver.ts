// Test helper: an OTLP/HTTP metrics receiver on loopback. Each request body
// is decoded with OpenTelemetry's official protocol definitions
// (tests/fixtures/otlp-proto, through protobufjs), not with the exporter's
// own code, and kept as a plain object for the test to look at.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { repoRoot } from './run.ts';

const protoRoot = join(repoRoot, 'tests', 'fixtures', 'otlp-proto');

/** A decoded ExportMetricsServiceRequest (protobufjs's toObject: longs as strings, enums as names). */
export type OtlpRequest = {
  resourceMetrics?: {
    resource?: { attributes?: { key: string; value: Record<string, unknown> }[] };
    scopeMetrics?: { scope?: { name?: string }; metrics?: OtlpMetric[] }[];
  }[];
};

export interface OtlpMetric {
  name: string;
  description?: string;
  sum?: { dataPoints: OtlpNumberPoint[]; isMonotonic?: boolean; aggregationTemporality?: string };
  gauge?: { dataPoints: OtlpNumberPoint[] };
  histogram?: { dataPoints: OtlpHistogramPoint[]; aggregationTemporality?: string };
}

export interface OtlpNumberPoint {
  attributes?: { key: string; value: { stringValue?: string } }[];
  asDouble?: number;
  asInt?: string;
}

export interface OtlpHistogramPoint {
  attributes?: { key: string; value: { stringValue?: string } }[];
  count: string;
  sum?: number;
  bucketCounts?: string[];
  explicitBounds?: number[];
}

let requestType: protobuf.Type | undefined;

/** ExportMetricsServiceRequest from the official definitions. */
async function exportRequestType(): Promise<protobuf.Type> {
  if (requestType) return requestType;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protoRoot, target);
  await root.load('opentelemetry/proto/collector/metrics/v1/metrics_service.proto', { keepCase: false });
  return (requestType = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'));
}

export interface OtlpReceiver {
  /** The metrics endpoint (`http://127.0.0.1:PORT/v1/metrics`). */
  url: string;
  /** Every request received so far, decoded. */
  requests: OtlpRequest[];
  /** Content types the requests came with. */
  contentTypes: string[];
  /** Resolves with the first request `accept` takes. */
  waitFor(accept: (r: OtlpRequest) => boolean, timeoutMs?: number): Promise<OtlpRequest>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const type = await exportRequestType();
  const requests: OtlpRequest[] = [];
  const contentTypes: string[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(req.headers['content-type'] ?? '');
      const message = type.decode(Buffer.concat(chunks));
      requests.push(type.toObject(message, { longs: String, enums: String, defaults: false }) as OtlpRequest);
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    requests,
    contentTypes,
    waitFor(accept, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no OTLP request as expected in ${timeoutMs} ms (${requests.length} received)`)), timeoutMs);
        const check = () => {
          const found = requests.find(accept);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The metrics of a request by name (every resource and scope). */
export function otlpMetrics(r: OtlpRequest): Map<string, OtlpMetric> {
  const out = new Map<string, OtlpMetric>();
  for (const rm of r.resourceMetrics ?? []) for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) out.set(m.name, m);
  return out;
}

/** A point's attributes as a plain record of strings. */
export function otlpAttributes(p: { attributes?: { key: string; value: { stringValue?: string } }[] }): Record<string, string> {
  return Object.fromEntries((p.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? '']));
}
