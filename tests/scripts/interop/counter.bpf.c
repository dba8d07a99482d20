// State inside a unit: a map, a global variable and a read-only setting are
// linked with the program like its functions.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} calls SEC(".maps");

__u64 total;
const volatile __u64 step = 5;

// Counts its calls in the map and adds `step` to `total`: calls * 1000 + total.
__u64 __bump(void)
{
  __u32 k = 0;
  __u64 *n = bpf_map_lookup_elem(&calls, &k);
  if (!n)
    return 0;
  *n += 1;
  total += step;
  return *n * 1000 + total;
}
