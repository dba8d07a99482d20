// `uprobe:BINARY@FILE:LINE[:COLUMN]`: a uprobe on the first instruction of a
// source line, found in the binary's DWARF line table (lib/dwarf), with
// bpftrace's messages. The probe is named as bpftrace names it, by the
// line's address: `uprobe:BINARY:ADDRESS`.
import { readFileSync } from 'node:fs';
import type { AttachPointRequest, ExpandedProbe, ProviderEnv } from '../../sdk/index.ts';
import { DebugInfoError } from '../../lib/dwarf/index.ts';
import { ElfFile, hasWildcard, resolveBinary } from '../../lib/host/index.ts';
import { debugInfoOf } from './args.ts';

/** Whether an attach point names a source location (`binary@file:line`). */
export function isSourceLocation(req: AttachPointRequest): boolean {
  return (req.parts[0] ?? '').includes('@');
}

export function expandSourceLocation(req: AttachPointRequest, env: ProviderEnv, provider: 'uprobe' | 'uretprobe'): ExpandedProbe[] {
  if (provider === 'uretprobe') return env.fail('Source code location not allowed', req.span);
  const [target = '', lineArg, columnArg] = req.parts;
  const at = target.indexOf('@');
  const binaryArg = target.slice(0, at);
  const file = target.slice(at + 1);
  if (hasWildcard(binaryArg)) return env.fail('Cannot use wildcards with source code location', req.span);
  if (req.parts.length < 2 || req.parts.length > 3 || !file || !lineArg) {
    return env.fail('Invalid uprobe arguments, expected format: uprobe:TARGET@FILE:LINE[:COL]', req.span);
  }
  const line = number(lineArg, 'line', req, env);
  const column = columnArg === undefined ? 0 : number(columnArg, 'column', req, env);
  const binary = resolveBinary(binaryArg);
  if (!binary) return env.fail(`Could not find binary or library: ${binaryArg}`, req.span);
  const info = debugInfoOf(binary, env);
  if (!info) return env.fail(`No DWARF debug info found for '${binaryArg}', cannot attach by source code location.`, req.span);
  let address: bigint;
  try {
    address = info.dwarf.lineAddress(file, line, column);
  } catch (e) {
    if (e instanceof DebugInfoError) return env.fail(e.message, req.span);
    throw e;
  }
  const offset = new ElfFile(readFileSync(binary), binary).fileOffset(address);
  if (offset === undefined) return env.fail(`Address 0x${address.toString(16)} of ${file}:${line} is in no loadable segment of ${binary}`, req.span);
  return [{ name: `${provider}:${binary}:${address}`, provider, section: 'uprobe', target: { binary, offset } }];
}

function number(text: string, what: 'line' | 'column', req: AttachPointRequest, env: ProviderEnv): number {
  if (!/^\d+$/.test(text)) return env.fail(`Invalid ${what} number: ${text} is not a number`, req.span);
  return Number(text);
}
