// What a test's or a benchmark's output goes to while it runs (as bpftrace's
// capture output): a format that passes everything on and counts the errors
// reported through it (errorf(), run-time errors), and writers that keep the
// text (a test's, shown when it fails) or drop it (a benchmark's).
import type {
  BenchmarkResult,
  MapSnapshot,
  OutputFormat,
  OutputWriter,
  PrintfAction,
  RunSession,
  RuntimeErrorInfo,
  SourceSite,
  TestResult,
  TextMessageKind,
} from '../../sdk/index.ts';
import type { ValueType } from '../manifest/index.ts';

export class ErrorCountingFormat implements OutputFormat {
  readonly name: string;
  /** errorf() calls and run-time errors seen. */
  errors = 0;

  constructor(private readonly inner: OutputFormat) {
    this.name = inner.name;
  }

  prepare(session: RunSession): void {
    this.inner.prepare?.(session);
  }

  attached(count: number, w: OutputWriter): void {
    this.inner.attached(count, w);
  }

  lostEvents(count: number, w: OutputWriter): void {
    this.inner.lostEvents(count, w);
  }

  printf(action: PrintfAction, args: { value: unknown; type: ValueType }[], w: OutputWriter): void {
    this.inner.printf(action, args, w);
  }

  printValue(value: unknown, type: ValueType, w: OutputWriter): void {
    this.inner.printValue(value, type, w);
  }

  printMap(map: MapSnapshot, opts: { top: number; div: number }, w: OutputWriter): void {
    this.inner.printMap(map, opts, w);
  }

  mapsAtExit(maps: MapSnapshot[], w: OutputWriter): void {
    this.inner.mapsAtExit(maps, w);
  }

  textMessage(kind: TextMessageKind, text: string, w: OutputWriter): void {
    this.inner.textMessage(kind, text, w);
  }

  logf(severity: 'error' | 'warning', text: string, site: SourceSite, w: OutputWriter): void {
    if (severity === 'error') this.errors++;
    this.inner.logf(severity, text, site, w);
  }

  runtimeError(error: RuntimeErrorInfo, site: SourceSite, w: OutputWriter): void {
    this.errors++;
    this.inner.runtimeError(error, site, w);
  }

  testResult(result: TestResult, w: OutputWriter): void {
    this.inner.testResult?.(result, w);
  }

  benchmarkResult(result: BenchmarkResult, w: OutputWriter): void {
    this.inner.benchmarkResult?.(result, w);
  }
}

/** Keeps program output and messages alike, in the order they come (a test's output). */
export class CaptureWriter implements OutputWriter {
  text = '';

  out(text: string): void {
    this.text += text;
  }

  err(text: string): void {
    this.text += text;
  }
}

/** Drops everything (a benchmark's output). */
export const discardWriter: OutputWriter = { out: () => {}, err: () => {} };
