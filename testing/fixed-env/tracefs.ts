// A tracefs that needs no kernel: the format files of two tracepoints as this
// kernel (6.x, x86-64) has them, parsed by the real format-file parser.
import type { Tracefs, TracepointFormat } from '../../sdk/index.ts';
import { globMatcher, parseFormat } from '../../lib/host/index.ts';

/** Format files as this kernel's tracefs has them (6.x). */
const formatFiles: Record<string, string> = {
  'syscalls:sys_enter_openat': `name: sys_enter_openat
ID: 782
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;
\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;
\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;
\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;
`,
  'sched:sched_switch': `name: sched_switch
ID: 372
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;
\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;
\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;
\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;
\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;
\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;
\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;
`,
};

/** A tracefs holding only `formatFiles`, and the `extra` ones it is given (`category:event` -> format file text). */
export class FixedTracefs implements Tracefs {
  readonly root = '/fixed/tracing';
  private readonly files: Record<string, string>;

  constructor(extra: Readonly<Record<string, string>> = {}) {
    this.files = { ...formatFiles, ...extra };
  }

  listTracepoints(categoryGlob: string, eventGlob: string): { category: string; event: string }[] {
    const cat = globMatcher(categoryGlob);
    const ev = globMatcher(eventGlob);
    return Object.keys(this.files).sort()
      .map((key) => { const [category, event] = key.split(':'); return { category, event }; })
      .filter((t) => cat.test(t.category) && ev.test(t.event));
  }
  format(category: string, event: string): TracepointFormat {
    const text = this.files[`${category}:${event}`];
    if (text === undefined) throw new Error(`no format file for ${category}:${event}`);
    return parseFormat(category, event, text);
  }
  listRawTracepoints(): string[] {
    return [];
  }
}
