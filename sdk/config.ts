/** Settings a session runs with (command line + environment + `config = {}`). */
export interface RuntimeConfig {
  maxStrlen: number;
  maxMapKeys: number;
  missingProbes: 'error' | 'warn' | 'ignore';
  printMapsOnExit: boolean;
  strTruncTrailer: string;
  /** Ring buffer size in bytes (power of two). */
  ringbufSize: number;
  /** `perf_rb_pages`: ringbufSize in pages of 4096 bytes. */
  perfRbPages: number;
  cacheUserSymbols: CacheUserSymbols;
  cppDemangle: boolean;
  lazySymbolication: boolean;
  /** License string the BPF programs declare. */
  license: string;
  /** Verifier log size in bytes. */
  logSize: number;
  maxBpfProgs: number;
  maxCatBytes: number;
  maxProbes: number;
  /** Largest value kept on the BPF stack, in bytes. */
  onStackLimit: number;
  showDebugInfo: boolean;
  useBlazesym: boolean;
  /** Default format of kstack/ustack. */
  stackMode: StackMode;
  /** Gates of unstable features (`unstable_tseries = enable`). */
  unstable: Readonly<Record<UnstableFeature, UnstableMode>>;
  /** Named program parameters from the command line (`-- --name=value`; a bare `--flag` is `true`), read by getopt(). */
  namedParams?: Readonly<Record<string, string | true>>;
  /** `--unsafe`: builtins with side effects outside tracing (system()) are allowed. */
  unsafe?: boolean;
  /** `-k`: BPF helper calls that fail are reported at run time (helper_error actions). */
  warnHelperErrors?: boolean;
  /** `-p PID`: uprobe and USDT targets resolve in this process (its binaries, its mount namespace). */
  targetPid?: number;
  /** `--traceable-functions FILE`: kernel functions kprobes may attach to, instead of tracefs' list. */
  traceableFunctions?: string;
  /** `--probe-filter REGEX`: only probes whose name it finds are attached (begin, end and self probes always are). */
  probeFilter?: string;
  /** `--no-feature F[,F]`: kernel features not to use (`uprobe_multi`: wildcard uprobes get a program and a link per function). */
  noFeatures?: readonly string[];
  /** `--debuginfo DIR[:DIR]`: where to look for binaries' separate debug files, before the default places. */
  debuginfoDirs?: readonly string[];
  /**
   * `BPFTRACE_DUMMY_TS_MAP=@ts` (environment only), a test aid: tseries()
   * takes the time from this scalar map of unsigned nanoseconds, shown as
   * wall-clock time since the epoch, instead of the kernel's clock.
   */
  dummyTsMap?: string;
}

export type CacheUserSymbols = 'PER_PROGRAM' | 'PER_PID' | 'NONE';
export type StackMode = 'bpftrace' | 'perf' | 'raw' | 'build_id';
export type UnstableFeature = 'addr' | 'dw_ustack' | 'import' | 'import_statement' | 'map_decl' | 'tseries' | 'typeinfo';
export type UnstableMode = 'enable' | 'warn' | 'error';

export const defaultConfig: RuntimeConfig = {
  maxStrlen: 64,
  maxMapKeys: 4096,
  missingProbes: 'error',
  printMapsOnExit: true,
  strTruncTrailer: '..',
  // 16 MiB: room for ~400k small events between two 10 ms drains.
  ringbufSize: 1 << 24,
  perfRbPages: (1 << 24) / 4096,
  cacheUserSymbols: 'PER_PID',
  cppDemangle: true,
  lazySymbolication: false,
  license: 'GPL',
  logSize: 1_000_000,
  maxBpfProgs: 1024,
  maxCatBytes: 10240,
  maxProbes: 1024,
  onStackLimit: 32,
  showDebugInfo: true,
  useBlazesym: false,
  stackMode: 'bpftrace',
  unstable: { addr: 'warn', dw_ustack: 'warn', import: 'enable', import_statement: 'warn', map_decl: 'enable', tseries: 'warn', typeinfo: 'warn' },
};
