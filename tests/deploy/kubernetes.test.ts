// deploy/kubernetes: the manifests validated against the Kubernetes API's
// schema (kubernetes-models, generated from Kubernetes' OpenAPI definitions),
// what BPF needs of the DaemonSet, the scripts of the ConfigMap runnable,
// and the image recipe's parts.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { bpfscript, repoRoot } from '../helpers/run.ts';

const dir = join(repoRoot, 'deploy', 'kubernetes');

function manifests(): Record<string, unknown>[] {
  const docs = parseAllDocuments(readFileSync(join(dir, 'daemonset.yaml'), 'utf8'));
  for (const d of docs) if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('\n'));
  return docs.map((d) => d.toJS() as Record<string, unknown>);
}

function byKind<T>(kind: string): T {
  const doc = manifests().find((m) => m.kind === kind);
  if (!doc) throw new Error(`no ${kind} in daemonset.yaml`);
  return doc as T;
}

test('every manifest is valid against the Kubernetes schema', (t) => {
  const docs = manifests();
  t.deepEqual(docs.map((d) => d.kind), ['ConfigMap', 'DaemonSet']);
  t.notThrows(() => new ConfigMap(byKind('ConfigMap')).validate());
  t.notThrows(() => new DaemonSet(byKind('DaemonSet')).validate());
});

test('the validator refuses a DaemonSet without its selector or with a mistyped field (it really checks)', (t) => {
  const ds = byKind<{ spec: Record<string, unknown> }>('DaemonSet');
  const { selector: _selector, ...noSelector } = ds.spec;
  t.throws(() => new DaemonSet({ ...ds, spec: noSelector } as never).validate());
  t.throws(() => new DaemonSet({ ...ds, spec: { ...ds.spec, minReadySeconds: 'soon' } } as never).validate());
});

interface PodSpec {
  hostPID?: boolean;
  tolerations?: { operator?: string }[];
  containers: {
    args: string[];
    ports: { name: string; containerPort: number }[];
    securityContext?: { privileged?: boolean };
    volumeMounts: { name: string; mountPath: string }[];
  }[];
  volumes: { name: string; hostPath?: { path: string }; configMap?: { name: string } }[];
}

test('the DaemonSet has what BPF needs: privileged, the host\'s PIDs, its tracefs, BTF and bpffs; the metrics port annotated for Prometheus', (t) => {
  const ds = byKind<{ spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: PodSpec } } }>('DaemonSet');
  const { template } = ds.spec;
  t.deepEqual(template.metadata.labels, ds.spec.selector.matchLabels);
  const pod = template.spec;
  t.true(pod.hostPID);
  t.true(pod.tolerations?.some((x) => x.operator === 'Exists'));
  const [container] = pod.containers;
  t.true(container!.securityContext?.privileged);
  const mounted = new Map(container!.volumeMounts.map((m) => [m.mountPath, m.name]));
  const hostPaths = new Map(pod.volumes.filter((v) => v.hostPath).map((v) => [v.name, v.hostPath!.path]));
  for (const path of ['/sys/kernel/tracing', '/sys/kernel/btf', '/sys/fs/bpf']) t.is(hostPaths.get(mounted.get(path)!), path, path);
  // The metrics port: what --export listens on, what the annotations name.
  const exportArg = container!.args[container!.args.indexOf('--export') + 1];
  t.is(exportArg, 'prometheus=0.0.0.0:9464');
  t.deepEqual(container!.ports.map((p) => [p.name, p.containerPort]), [['metrics', 9464]]);
  t.deepEqual(template.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464', 'prometheus.io/path': '/metrics' });
});

test('the script the DaemonSet runs is in the ConfigMap, and it compiles, loads and attaches here', async (t) => {
  t.timeout(300_000);
  const cm = byKind<{ metadata: { name: string }; data: Record<string, string> }>('ConfigMap');
  const ds = byKind<{ spec: { template: { spec: PodSpec } } }>('DaemonSet');
  const pod = ds.spec.template.spec;
  const scriptsVolume = pod.volumes.find((v) => v.configMap?.name === cm.metadata.name)!;
  const mountPath = pod.containers[0]!.volumeMounts.find((m) => m.name === scriptsVolume.name)!.mountPath;
  const script = pod.containers[0]!.args.at(-1)!;
  t.true(script.startsWith(`${mountPath}/`));
  const text = cm.data[script.slice(mountPath.length + 1)];
  t.truthy(text, `${script} is not in the ConfigMap`);
  const r = await bpfscript(['--dry-run', '-e', text!], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /^Attached \d+ probes\n$/);
});

test('the image recipe: a Debian base with Node.js 20, clang and libbpf, the packed bpfscript as its entry point', (t) => {
  const recipe = readFileSync(join(dir, 'Containerfile'), 'utf8');
  t.regex(recipe, /^FROM node:20-bookworm-slim$/m);
  t.regex(recipe, /clang-19 libbpf-dev libbpf1/);
  t.regex(recipe, /^RUN npm install -g --omit=dev \/tmp\/bpfscript-\*\.tgz/m);
  t.regex(recipe, /^ENTRYPOINT \["bpfscript"\]$/m);
  // npm pack puts in what the installed command needs: the launcher, the bundle, the standard library.
  const files = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { files: string[] }).files;
  t.true(files.includes('bin/bpfscript'), files.join(' '));
  t.true(files.some((f) => f.startsWith('dist/')), files.join(' '));
  t.true(files.some((f) => f.startsWith('stdlib/')), files.join(' '));
});
