// Attaching: providers attach every probe but begin/end/signal/test/bench
// (those the session runs itself) through an AttachEnv made from the runtime; missing_probes
// decides whether a probe that cannot attach ends the run or is left out.
// Detaching at the end goes in parallel (tracepoint links are slow to go).
import { RuntimeError, sessionRunRoles, type Attachment, type AttachEnv, type ProbeRole, type ProbeProvider, type Runtime, type RuntimeObject, type RuntimeProgram } from '../../sdk/index.ts';
import type { ProbeInfo } from '../manifest/index.ts';
import type { Span } from '../diagnostics/index.ts';
import { probeFunctionName } from '../codegen/index.ts';
import { guardedAttach } from '../plugin-host/index.ts';
import type { RunContext } from './context.ts';
import { withProviderHint } from './provider-hint.ts';

/** What a provider gets to attach one program. */
export function attachEnv(runtime: Runtime, program: RuntimeProgram, targetPid: number | undefined, programProbes?: ProbeInfo[]): AttachEnv {
  return {
    program,
    perfEventOpen: (o) => runtime.perfEventOpen(o),
    closeFd: (fd) => runtime.closeFd(fd),
    onlineCpus: () => runtime.onlineCpus(),
    targetPid,
    ...(programProbes ? { programProbes } : {}),
  };
}

/** The probes whose provider has this run-time role, in script order. */
export function probesOfRole(s: Pick<RunContext, 'manifest' | 'registry'>, role: ProbeRole): ProbeInfo[] {
  return s.manifest.probes.filter((p) => (s.registry.find(p.provider)?.role ?? 'attach') === role);
}

/** The programs of the probes whose provider has this run-time role. */
export function programsOfRole(s: RunContext, obj: RuntimeObject, role: ProbeRole): RuntimeProgram[] {
  return probesOfRole(s, role).map((p) => obj.program(p.programName));
}

/**
 * Attaches everything but the probes the session runs itself (begin, end,
 * signal, test, bench), adding to `attachments` as it
 * goes (so what was attached is detached if a later probe ends the run). For
 * one event the kernel runs some kinds of programs in attach order and others
 * last attached first (`runsLastAttachedFirst`): the first are attached in
 * script order, then the others in reverse, so every kind runs in script
 * order, as bpftrace arranges it.
 */
export function attachProbes(s: RunContext, obj: RuntimeObject, attachments: Attachment[], owners?: Map<Attachment, ProbeInfo>): void {
  // A program several probes share (a shared hook: codegen/shared-hooks.ts) is attached once, where its first probe is.
  const programs = new Set<string>();
  const attachable = s.manifest.probes.filter((p) => {
    if (sessionRunRoles.includes(s.registry.find(p.provider)?.role ?? 'attach') || programs.has(p.programName)) return false;
    programs.add(p.programName);
    return true;
  });
  const reversed = (p: ProbeInfo) => s.registry.find(p.provider)?.runsLastAttachedFirst === true;
  const attachPoints = new Map(s.compiled.instances.map((i) => [probeFunctionName(i.index), i.attachPoint.span]));
  const byProgram = new Map<string, ProbeInfo[]>();
  for (const p of s.manifest.probes) {
    const list = byProgram.get(p.programName) ?? [];
    byProgram.set(p.programName, list);
    list.push(p);
  }
  const attach = (p: ProbeInfo) => attachOne(s, obj, p, attachPoints.get(p.programName), attachments, owners, byProgram.get(p.programName));
  for (const p of attachable.filter((q) => !reversed(q))) attach(p);
  for (const p of attachable.filter(reversed).reverse()) attach(p);
}

/** `at`: the attach point in the script the probe came from (a package provider's failure is reported there). */
function attachOne(s: RunContext, obj: RuntimeObject, p: ProbeInfo, at: Span | undefined, attachments: Attachment[], owners?: Map<Attachment, ProbeInfo>, programProbes?: ProbeInfo[]): void {
  const { manifest, opts, config, writer: w } = s;
  const targetPid = opts.child?.pid ?? opts.targetPid;
  const provider = s.registry.find(p.provider) as ProbeProvider;
  const refused: { probe: ProbeInfo; error: RuntimeError }[] = [];
  const env: AttachEnv = { ...attachEnv(s.runtime, obj.program(p.programName), targetPid, programProbes), probeRefused: (probe, error) => refused.push({ probe, error }) };
  try {
    const attached = guardedAttach(provider, p.name, at, () => provider.attach!(p, env));
    attachments.push(...attached);
    for (const a of attached) owners?.set(a, p);
    if (refused.length && refused.length === (programProbes?.length ?? 1)) throw refused[0]!.error;
    if (opts.verbose) w.err(`Attaching ${p.name}\n`);
    leaveOutRefused(s, refused);
  } catch (e) {
    const hinted = withProviderHint(e, 'attach', manifest, s.registry, p.provider);
    if (!(e instanceof RuntimeError)) throw hinted;
    // As bpftrace: the reason, then which probe and what missing_probes makes of it.
    if (config.missingProbes === 'error') {
      e.message += `\nERROR: Unable to attach probe: ${p.name}. If this is expected, set the 'missing_probes' config variable to 'warn'.`;
      throw e;
    }
    if (config.missingProbes === 'warn') w.err(`WARNING: ${e.message}\nWARNING: Unable to attach probe: ${p.name}. Skipping.\n`);
  }
}

/**
 * Probes of a wildcard the kernel cannot probe (an instruction uprobes cannot
 * emulate) while the wildcard's other functions attached: left out with
 * upstream's warning whether missing_probes is `error` or `warn` (a wildcard
 * asks for the functions that can be traced, as upstream's kprobe wildcards
 * match only traceable functions), silently with `ignore`. Where none of the
 * wildcard's functions attaches, the probe fails as any probe does.
 */
function leaveOutRefused(s: RunContext, refused: { probe: ProbeInfo; error: RuntimeError }[]): void {
  if (s.config.missingProbes === 'ignore') return;
  for (const { probe, error } of refused) s.writer.err(`WARNING: ${error.message}\nWARNING: Unable to attach probe: ${probe.name}. Skipping.\n`);
}

/** Runs driven probes (iterators) to completion; whether there were any (then the run is over). */
export function driveProbes(attachments: readonly Attachment[]): boolean {
  const driven = attachments.filter((a) => a.drive);
  for (const a of driven) a.drive!();
  return driven.length > 0;
}

/** Detaches everything, in parallel where the attachment can (each tracepoint link takes the kernel ~70 ms). */
export async function detachAll(attachments: Attachment[]): Promise<void> {
  await Promise.all(attachments.splice(0).map((a) => (a.detachAsync ? a.detachAsync() : a.detach())));
}

/** Last resort when the run ends early: detaches what is left, ignoring what is already gone. */
export function detachLeft(attachments: Attachment[]): void {
  for (const a of attachments.splice(0)) {
    try {
      a.detach();
    } catch {
      // Already gone; closing the object releases the rest.
    }
  }
}
