// The machine the program runs on, for stdlib/system.bt and stdlib/time.bt:
// each function wraps one BPF helper.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

// The NUMA node of the CPU running the program.
long __get_numa_node_id(void)
{
  return bpf_get_numa_node_id();
}

// The kernel's 64-bit jiffies counter.
unsigned long long __get_jiffies(void)
{
  return bpf_jiffies64();
}
