// `--info`: the system, the build and the kernel's BPF features, in bpftrace's
// "name: yes/no" report. The runtime service probes the features and names
// itself (plugins/runtime/libbpf: every feature is probed for real).
import { spawnSync } from 'node:child_process';
import { arch, release, version as osVersion } from 'node:os';
import type { KernelFeatures, Runtime } from '../sdk/index.ts';
import { findClang } from '../core/build/index.ts';

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function clangVersion(): string {
  try {
    const out = spawnSync(findClang(), ['--version'], { encoding: 'utf8' }).stdout ?? '';
    return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'not found';
  }
}

/** The whole `--info` text; `runtime` names the runtime and its version (`libbpf: 1.1`). */
export function infoReport(version: string, features: KernelFeatures, runtime: Pick<Runtime, 'name' | 'version'>): string {
  const lines: string[] = [];
  lines.push('System', `  OS: Linux ${release()} ${osVersion()}`, `  Arch: ${arch() === 'x64' ? 'x86_64' : arch() === 'arm64' ? 'aarch64' : arch()}`, '');
  lines.push('Build', `  version: ${version}`, `  node: ${process.version}`, `  ${runtime.name}: ${runtime.version}`, `  clang: ${clangVersion()}`, '');
  lines.push('Kernel helpers', ...features.helpers.map(([n, b]) => `  ${n}: ${yesNo(b)}`), '');
  lines.push(
    'Kernel features',
    `  Instruction limit: ${features.instructionLimit}`,
    `  Loop support: ${yesNo(features.loops)}`,
    `  btf: ${yesNo(features.btf)}`,
    `  module btf: ${yesNo(features.moduleBtf)}`,
    `  map batch: ${yesNo(features.mapBatch)}`,
    `  uprobe refcount: ${yesNo(features.uprobeRefcount)}`,
    '',
  );
  lines.push('Map types', ...features.maps.map(([n, b]) => `  ${n}: ${yesNo(b)}`), '');
  lines.push('Probe types', ...features.probes.map(([n, b]) => `  ${n}: ${yesNo(b)}`));
  return lines.join('\n') + '\n';
}
