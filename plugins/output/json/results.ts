// `--test` and `--bench` results as bpftrace's JSON output has them, one line
// each: `{"type": "test_result", "data": {"NAME": {"duration": ns, "passed":
// bool, "output": "text"}}}` and `{"type": "benchmark_result", "data":
// {"NAME": {"average": ns, "iters": n}}}`.
import type { BenchmarkResult, TestResult } from '../../../sdk/index.ts';
import { jsonInt, jsonMessage, jsonObject, jsonString } from './json.ts';

export function jsonTestResult(r: TestResult): string {
  const fields = jsonObject([
    ['duration', jsonInt(BigInt(r.durationNs))],
    ['passed', String(r.passed[r.index]!)],
    ['output', jsonString(r.output)],
  ]);
  return jsonMessage('test_result', jsonObject([[r.names[r.index]!, fields]]));
}

export function jsonBenchmarkResult(r: BenchmarkResult): string {
  const fields = jsonObject([
    ['average', jsonInt(BigInt(r.averageNs))],
    ['iters', jsonInt(BigInt(r.iterations))],
  ]);
  return jsonMessage('benchmark_result', jsonObject([[r.names[r.index]!, fields]]));
}
