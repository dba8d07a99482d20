// Test helper: an OTLP/HTTP metrics receiver on loopback. Each request body
// is decoded with OpenTelemetry's official protocol definitions
// (tests/fixtures/otlp-proto, through protobufjs), not with the exporter's
// own code, and kept as a plain object for the test to look at. With `tls`
// (selfSignedCertificate) it serves https.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
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
  /** The metrics endpoint (`http://127.0.0.1:PORT/v1/metrics`, https with `tls`). */
  url: string;
  /** Every request received so far, decoded. */
  requests: OtlpRequest[];
  /** Content types the requests came with. */
  contentTypes: string[];
  /** Resolves with the first request `accept` takes. */
  waitFor(accept: (r: OtlpRequest) => boolean, timeoutMs?: number): Promise<OtlpRequest>;
  close(): Promise<void>;
}

/** A certificate for 127.0.0.1, made by openssl in `dir`: `cert` is its PEM file, which a client trusts to reach the receiver. */
export function selfSignedCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'receiver.key');
  const cert = join(dir, 'receiver.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key, cert };
}

export async function startOtlpReceiver(options: { tls?: { key: string; cert: string } } = {}): Promise<OtlpReceiver> {
  const type = await exportRequestType();
  const requests: OtlpRequest[] = [];
  const contentTypes: string[] = [];
  const waiters: (() => void)[] = [];
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(req.headers['content-type'] ?? '');
      const message = type.decode(Buffer.concat(chunks));
      requests.push(type.toObject(message, { longs: String, enums: String, defaults: false }) as OtlpRequest);
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      for (const w of waiters.splice(0)) w();
    });
  };
  const tls = options.tls;
  const server: Server = tls ? createHttpsServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v1/metrics`,
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
