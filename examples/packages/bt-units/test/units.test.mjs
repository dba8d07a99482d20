// bt-units' own tests: bpfscript/testing's ScriptTester under node:test
// (`npm test`). The scripts import the package by its name, as its users do;
// `output` cases also run on the kernel where BPF loads (root), and only
// compile elsewhere.
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ScriptTester } from 'bpfscript/testing';

const tester = new ScriptTester({ packageDir: fileURLToPath(new URL('..', import.meta.url)) });

tester.register('bt-units', {
  valid: [
    {
      name: 'sizes',
      script: 'import "bt-units";\nbegin { printf("%d %d %d\\n", kib(4096), kib(1023), mib(3 * 1048576 + 5)); exit(); }',
      output: '4 0 3\n\n\n',
    },
    {
      name: 'percentages, and a whole of 0',
      script: 'import "bt-units";\nbegin { printf("%d %d %d\\n", percent(1, 4), percent(2, 3), percent(5, 0)); exit(); }',
      output: '25 66 0\n\n\n',
    },
    {
      name: 'elapsed time from a timestamp',
      script: 'import "bt-units";\nbegin { $t = nsecs; if (us_since($t) >= 0 && ms_since($t) < 1000) { printf("in time\\n"); } exit(); }',
      output: 'in time\n\n\n',
    },
    {
      name: 'in a histogram, over a tracepoint',
      script: 'import "bt-units";\ntracepoint:sched:sched_switch { @start[args.next_pid] = nsecs; @us = hist(us_since(@start[args.prev_pid])); }',
      // us_since() divides the time since the map's timestamp by 1000, in the histogram's bucket.
      c: /__bt_hist_bucket\(.*bpf_ktime_get_boot_ns\(\).*map_start.*1000LL/,
    },
  ],
  invalid: [
    {
      script: 'import "bt-units";\nbegin { print(percent(1)); }',
      errors: [
        { message: 'Call to percent() has arguments that do not match any definition.', line: 2, col: 15 },
        { message: 'The closest definition of percent() has a different number of arguments. Expected: 2 but got 1' },
      ],
    },
    {
      script: 'import "bt-units";\nbegin { print(kib("4096")); }',
      // Reported in units.bt, where the macro divides (line 12), then at the script's call.
      errors: [{ message: "Type mismatch for '/': string[5] and int16", line: 12, col: 20 }],
    },
  ],
}, test);

test('every macro is documented as the standard library is (:variant and description)', () => tester.checkDocs());
