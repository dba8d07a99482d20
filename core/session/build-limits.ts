// Building the generated program, with clang's refusals of BPF's resource
// limits turned into located errors. How much of the 512-byte BPF stack a
// program takes, or whether a copy is small enough to be made inline, only
// clang knows (it places and merges values as it optimizes), so the type
// pass cannot refuse these in advance: when clang does, the error names the
// probe whose program broke the limit, in the script's words.
import { BuildError, compileC, compileCAsync, type CompileResult } from '../build/index.ts';
import { CompileError, type Span } from '../diagnostics/index.ts';
import type { ProbeInstance } from '../probes/index.ts';
import type { CompiledScript } from './compile.ts';
import { regionAt, withoutMarkers, type PluginCRegion } from '../codegen/index.ts';

/** clang's messages for BPF's limits, and what they mean for the script. */
const LIMITS: { pattern: RegExp; message: string; hint: string }[] = [
  {
    pattern: /BPF stack limit is exceeded/,
    message: 'the BPF program of this probe needs more than the 512 bytes of stack BPF allows',
    hint: 'strings, tuples and structs kept at once take the stack: lower max_strlen, or keep fewer large values at a time',
  },
  {
    pattern: /A call to built-in function '(memcpy|memset|memmove)' is not supported/,
    message: 'the BPF program of this probe copies a value too large for BPF to copy at once',
    hint: 'a value copied whole (a string, a tuple, a struct) may take about 1 KB: lower max_strlen, or copy a smaller part',
  },
];

/**
 * The generated C compiled to a BPF object (cached); BPF resource limits clang
 * reports become located errors. The script's headers (`#include`, `-I`,
 * `--include`) are not part of it: c-types read them with the host's
 * definitions, and the unit declares only the types the program uses.
 */
export function compileGenerated(compiled: GeneratedProgram): CompileResult {
  try {
    return compileC(compiled.c);
  } catch (e) {
    throw located(e, compiled);
  }
}

/** compileGenerated through the clang started early, when one waits (core/build/early-clang.ts). */
export async function compileGeneratedAsync(compiled: GeneratedProgram): Promise<CompileResult> {
  try {
    return await compileCAsync(compiled.c);
  } catch (e) {
    throw located(e, compiled);
  }
}

type GeneratedProgram = Pick<CompiledScript, 'c' | 'instances' | 'pluginRegions'>;

/** clang's refusal as a located error where it is a resource limit or a plugin's C; any other error as it is. */
function located(e: unknown, compiled: GeneratedProgram): unknown {
  if (e instanceof BuildError) return resourceLimitError(e, compiled.c, compiled.instances) ?? pluginCError(e, compiled.c, compiled.pluginRegions ?? []) ?? e;
  return e;
}

/** The first error clang reported, if it is inside C a third-party builtin emitted: at the call, with the C line. */
function pluginCError(e: BuildError, source: string, regions: readonly PluginCRegion[]): CompileError | undefined {
  const first = /:(\d+):(\d+): error: (.*)$/m.exec(e.output);
  if (!first || regions.length === 0) return undefined;
  const lines = source.split('\n');
  const line = Number(first[1]);
  if (line < 1 || line > lines.length) return undefined;
  const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Number(first[2]) - 1;
  const region = regionAt(source, offset, regions);
  if (!region) return undefined;
  return new CompileError([
    { severity: 'ERROR', message: `${region.label} emitted C that clang refuses: ${first[3]}`, span: region.span },
    { severity: 'HINT', message: `in the generated C: ${withoutMarkers(lines[line - 1]!).trim()}` },
  ]);
}

/** The first error clang reported, if it is a BPF resource limit in a probe's function: at that probe. */
function resourceLimitError(e: BuildError, source: string, instances: readonly ProbeInstance[]): CompileError | undefined {
  const first = /:(\d+):\d+: error: (.*)$/m.exec(e.output);
  if (!first) return undefined;
  const limit = LIMITS.find((l) => l.pattern.test(first[2]!));
  const instance = limit && instanceAt(source, Number(first[1]), instances);
  if (!limit || !instance) return undefined;
  return new CompileError([
    { severity: 'ERROR', message: `${instance.expanded.name}: ${limit.message}`, span: attachPointsSpan(instance) },
    { severity: 'HINT', message: limit.hint },
  ]);
}

/** The probe instance whose function (or map-loop callback: `bs_probe_<n>_for<k>`) holds C line `line`. */
function instanceAt(source: string, line: number, instances: readonly ProbeInstance[]): ProbeInstance | undefined {
  const lines = source.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const header = /^(?:int|static long) bs_probe_(\d+)(?:_for\d+)?\(/.exec(lines[i]!);
    if (header) return instances.find((inst) => inst.index === Number(header[1]));
    if (lines[i] === '}') return undefined;
  }
  return undefined;
}

/** The attach points of the instance's probe, first to last. */
function attachPointsSpan(instance: ProbeInstance): Span {
  const aps = instance.probe.attachPoints;
  const first = aps[0]!.span;
  const last = aps[aps.length - 1]!.span;
  return { file: first.file, line: first.line, col: first.col, endLine: last.endLine, endCol: last.endCol };
}
