// `iter:task`, `iter:task_file`, `iter:task_vma`, ... (`it`): BPF iterators
// over kernel objects (any `bpf_iter__<name>` the kernel has). `ctx` is the
// iterator's context record (`ctx.task`, `ctx.file`, `ctx.fd`, `ctx.vma`),
// typed from BTF. The run goes over every element once, then ends.
import { definePlugin, Services, type ContextValue, type ProbeProvider } from '../../sdk/index.ts';
import { plainSearch } from '../shared/listing.ts';

/** Iterators over a map's elements: they attach only with a map to walk, which `iter:NAME` cannot name. (A `__` in a name marks a verifier type, `bpf_iter__task__safe_trusted`, no iterator.) */
const NEEDS_MAP = new Set(['bpf_map_elem', 'bpf_sk_storage_map', 'sockmap']);

export const iterProvider: ProbeProvider = {
  name: 'iter',
  aliases: ['it'],
  listedIn: 'kernel',
  runsLastAttachedFirst: true,
  expand(req, env) {
    if (req.parts.length < 1 || !req.parts[0]) return env.fail('iter probes name an iterator: iter:task', req.span);
    if (req.parts.length > 1) return env.fail('pinning iterators (iter:task:PATH) is not supported; run without a pin path', req.span);
    const name = req.parts[0];
    const ctxType = env.kernelTypes.byName(`struct bpf_iter__${name}`);
    if (!ctxType || ctxType.kind !== 'struct') return env.fail(`Iterator ${name} is not available on this kernel (no struct bpf_iter__${name} in BTF)`, req.span);
    // The element pointer (task, file, vma...) is NULL on the last call, which only ends the iteration.
    const element = env.kernelTypes.members(ctxType).find((m) => m.name !== 'meta' && m.type.kind === 'pointer');
    const guard = element ? `*(__u64 *)((char *)ctx + ${element.offset}) != 0` : undefined;
    return [{ name: `iter:${name}`, provider: 'iter', section: `iter/${name}`, target: { iterator: name }, ...(guard ? { guard } : {}) }];
  },
  contextValue(id, probe, env): ContextValue | undefined {
    if (id !== 'ctx') return undefined;
    const t = env.kernelTypes.byName(`struct bpf_iter__${probe.target.iterator}`);
    if (!t || t.kind !== 'struct') return undefined;
    return { type: env.kernelTypes.complete(t), c: `(*(struct bpf_iter__${probe.target.iterator} *)ctx)`, cAddress: 'ctx' };
  },
  attach(_probe, env) {
    return [env.program.attachIter()];
  },
  list(pattern, env) {
    const search = plainSearch(pattern);
    return (env.kernelTypes.iterators?.() ?? []).filter((n) => search.test(n) && !n.includes('__') && !NEEDS_MAP.has(n)).map((n) => `iter:${n}`);
  },
};

export const iterPlugin = definePlugin('iter', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(iterProvider);
});
