// A self-check of C interop, as upstream's standard library has it: after
// `import "stdlib/test";` a script calls __always_true() and gets 1, which
// shows that imported C is compiled, linked and called.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int __always_true(void)
{
  return 1;
}
