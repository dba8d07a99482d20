import { bpf } from './native.ts';

/** The loaded libbpf's version, e.g. `1.1`. */
export function libbpfVersion(): string {
  return `${bpf('libbpf_major_version')()}.${bpf('libbpf_minor_version')()}`;
}
