// The user-space half of the async builtins: time(), errorf()/warnf(), cat(),
// system(), join() and -k's helper errors. Each event record is turned into
// text and handed to the output format, as bpftrace's async handlers do.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import type { OutputFormat, OutputWriter, Runtime } from '../../sdk/index.ts';
import { decodeValue, type Action, type ArgLayout, type ValueType } from '../manifest/index.ts';
import type { SourceTexts } from '../diagnostics/index.ts';
import type { WallClock } from './timestamps.ts';

/** join()'s record index that ends an argument list (plugins/builtins/async.ts sends it). */
const JOIN_END = 0xffffffff;

export interface ActionRunnerOptions {
  sources?: SourceTexts;
  /** warnf() is silent with --no-warnings. */
  noWarnings?: boolean;
  /** cat() reads at most this much of a file (config max_cat_bytes). */
  maxCatBytes: number;
  /** Names errnos (helper errors, cat() failures). */
  runtime: Pick<Runtime, 'errnoMessage'>;
  clock(): WallClock;
  /** printf-style formatting of decoded arguments. */
  format(format: string, values: { value: unknown; type: ValueType }[]): string;
}

type Decoded = { value: unknown; type: ValueType }[];
type RunnerAction = Extract<Action, { kind: 'time' | 'logf' | 'cat' | 'system' | 'join' | 'helper_error' }>;

export class ActionRunner {
  /** join() arguments received so far, by the CPU that sends them. */
  private readonly joins = new Map<number, string[]>();

  constructor(
    private readonly output: OutputFormat,
    private readonly w: OutputWriter,
    private readonly opts: ActionRunnerOptions,
  ) {}

  run(action: RunnerAction, view: DataView, offset: number, decode: (layouts: ArgLayout[]) => Decoded): void {
    switch (action.kind) {
      case 'time':
        this.output.textMessage('time', this.opts.clock().now(action.format), this.w);
        return;
      case 'logf':
        if (action.severity === 'warning' && this.opts.noWarnings) return;
        this.output.logf(action.severity, this.opts.format(action.format, decode(action.args)), { span: action.span, sources: this.opts.sources }, this.w);
        return;
      case 'cat':
        this.cat(this.opts.format(action.format, decode(action.args)));
        return;
      case 'system':
        this.system(this.opts.format(action.format, decode(action.args)));
        return;
      case 'join':
        this.join(action, view, offset);
        return;
      case 'helper_error': {
        const retcode = Number(view.getBigInt64(offset + 8, true));
        const error = { kind: 'helper' as const, helper: action.helper, retcode, message: this.opts.runtime.errnoMessage(-retcode) };
        this.output.runtimeError(error, { span: action.span, sources: this.opts.sources }, this.w);
        return;
      }
    }
  }

  /** Argument lists still open when the program ends (their end record was lost) are printed as they are. */
  finish(): void {
    for (const [cpu, parts] of this.joins) {
      this.joins.delete(cpu);
      this.output.textMessage('join', parts.join(' '), this.w);
    }
  }

  private cat(path: string): void {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      const buf = Buffer.alloc(this.opts.maxCatBytes);
      let n = 0;
      while (n < buf.length) {
        const r = readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
      }
      this.output.textMessage('cat', buf.toString('utf8', 0, n), this.w);
    } catch (e) {
      const errno = Math.abs((e as NodeJS.ErrnoException).errno ?? 5);
      this.w.err(`ERROR: failed to open file '${path}': ${this.opts.runtime.errnoMessage(errno)}\n`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private system(command: string): void {
    // As bpftrace: the command runs through the shell and events wait until it ends.
    const r = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    if (r.error) {
      this.w.err(`ERROR: system(): ${r.error.message}\n`);
      return;
    }
    this.output.textMessage('syscall', r.stdout ?? '', this.w);
  }

  private join(action: Extract<Action, { kind: 'join' }>, view: DataView, offset: number): void {
    const cpu = view.getUint32(offset + 8, true);
    const index = view.getUint32(offset + 12, true);
    const parts = this.joins.get(cpu) ?? [];
    if (index !== JOIN_END) {
      parts.push(decodeValue(view, offset + 16, { kind: 'string', size: action.argSize }) as string);
      this.joins.set(cpu, parts);
      return;
    }
    this.joins.delete(cpu);
    this.output.textMessage('join', parts.join(action.separator), this.w);
  }
}
