// The C half of stdlib/bytes.bt: byte swaps (single instructions) and a byte
// comparison whose bound the caller keeps within both values (the function is
// verified in its caller's context, where `n` and the sizes are constants).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u16 __bs_bswap16(__u16 n)
{
  return __builtin_bswap16(n);
}

__u32 __bs_bswap32(__u32 n)
{
  return __builtin_bswap32(n);
}

__u64 __bs_bswap64(__u64 n)
{
  return __builtin_bswap64(n);
}

// The difference of the first bytes (as signed chars) that differ among the
// first `n` of `a` and `b`, or 0 when those are equal. `cap` bounds `n`: the
// smaller size of the two values.
int __bs_memcmp(const char *a, const char *b, __u64 n, __u64 cap)
{
  for (__u64 i = 0; i < cap && i < n; i++) {
    if (a[i] != b[i])
      return (int)a[i] - (int)b[i];
  }
  return 0;
}
