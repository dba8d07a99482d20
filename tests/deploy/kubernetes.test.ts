// deploy/kubernetes: the manifests validated against the Kubernetes API's
// schema (kubernetes-models, generated from Kubernetes' OpenAPI definitions),
// what BPF needs of the DaemonSet, the scripts of the ConfigMap runnable,
// and the image recipe's parts.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
  volumes: { name: string; hostPath?: { path: string }; configMap?: { name: string }; emptyDir?: object }[];
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

/** The recipe's instructions, continuation lines joined, comments left out. */
function instructions(): { op: string; args: string }[] {
  const text = readFileSync(join(dir, 'Containerfile'), 'utf8').replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [, op, args] = /^(\S+)\s+(.*)$/.exec(l.trim())!;
      return { op: op!, args: args!.replace(/\s+/g, ' ') };
    });
}

/** A shell glob (`*` only) as a whole-string regular expression. */
const globRegex = (glob: string) => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

test('the image recipe\'s steps: it copies what npm pack makes and installs it; its entry point, cache and base are the package\'s, the DaemonSet\'s and local-base.sh\'s', (t) => {
  const steps = instructions();
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string>; files: string[] };
  // COPY's source is the file `npm pack` names NAME-VERSION.tgz; the next RUN installs what COPY put in /tmp.
  const copy = steps.find((s) => s.op === 'COPY')!.args.split(' ');
  t.is(copy.length, 2);
  t.regex(`${pkg.name}-${pkg.version}.tgz`, globRegex(copy[0]!));
  t.is(copy[1], '/tmp/');
  t.true(steps.some((s) => s.op === 'RUN' && s.args.startsWith(`npm install -g --omit=dev /tmp/${copy[0]}`)));
  // The entry point is the package's command, which npm pack puts in.
  const entry = JSON.parse(steps.find((s) => s.op === 'ENTRYPOINT')!.args) as string[];
  t.deepEqual(entry, ['bpfscript']);
  const bin = pkg.bin[entry[0]!]!;
  t.true(existsSync(join(repoRoot, bin)) && pkg.files.includes(bin), bin);
  // The compile cache is where the DaemonSet mounts its emptyDir.
  const cache = /^XDG_CACHE_HOME=(\S+)$/.exec(steps.find((s) => s.op === 'ENV')!.args)![1];
  const ds = byKind<{ spec: { template: { spec: PodSpec } } }>('DaemonSet');
  const cacheVolume = ds.spec.template.spec.volumes.find((v) => v.emptyDir)!.name;
  t.is(ds.spec.template.spec.containers[0]!.volumeMounts.find((m) => m.name === cacheVolume)!.mountPath, cache);
  // local-base.sh makes the image FROM names (as podman spells a Docker Hub official image).
  const from = steps.find((s) => s.op === 'FROM')!.args;
  const tag = /^TAG=\$\{TAG:-(\S+)\}$/m.exec(readFileSync(join(dir, 'local-base.sh'), 'utf8'))![1];
  t.is(tag, `docker.io/library/${from}`);
});

test('the image recipe installs the Debian packages that hold what bpfscript runs: clang-19, libbpf.so.1, bpftool, the BPF headers', (t) => {
  const run = instructions().find((s) => s.op === 'RUN' && s.args.includes('apt-get install'))!.args;
  const packages = /--no-install-recommends ([^&]*)&&/.exec(run)![1]!.trim().split(' ');
  // What bpfscript uses, by path, and the package the recipe installs for it (core/build/clang.ts,
  // plugins/runtime/libbpf/native.ts, core/build/unit.ts, core/codegen/prelude.ts).
  const uses: [string, string][] = [
    ['/usr/bin/clang-19', 'clang-19'],
    ['/usr/lib/x86_64-linux-gnu/libbpf.so.1', 'libbpf1'],
    ['/usr/sbin/bpftool', 'bpftool'],
    ['/usr/include/bpf/bpf_helpers.h', 'libbpf-dev'],
    ['/usr/include/linux/bpf.h', 'linux-libc-dev'],
  ];
  for (const [path, name] of uses) {
    t.true(packages.includes(name), `${name} is not installed by the recipe`);
    // This machine has the same Debian packages (bin/setup): dpkg says which one holds the file.
    const owner = execFileSync('dpkg', ['-S', path], { encoding: 'utf8' }).split(':')[0];
    t.is(owner, name, path);
  }
  // The `clang` link points at the file clang-19 installs.
  t.regex(run, /ln -s \/usr\/bin\/clang-19 \/usr\/local\/bin\/clang/);
});
