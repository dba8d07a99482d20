// String helpers for scripts: bounded loops over the script's fixed-size
// strings, which arrive as pointers to copies on the BPF stack.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_SCAN 256

// The index of the first `needle` in `haystack`, or -1. Both are NUL-terminated
// within their capacities `hlen` and `nlen`.
int __strstr(const char *haystack, int hlen, const char *needle, int nlen)
{
  if (nlen <= 0 || needle[0] == 0)
    return 0;
  for (int i = 0; i < hlen && i < MAX_SCAN; i++) {
    if (haystack[i] == 0)
      return -1;
    int j = 0;
    while (j < nlen && j < MAX_SCAN && i + j < hlen && needle[j] != 0 && haystack[i + j] == needle[j])
      j++;
    if (j == nlen || (j < nlen && needle[j] == 0))
      return i;
  }
  return -1;
}

// The length of `s` (capacity `cap`). A global function that __strrev calls
// (noinline: a real call) with a pointer it was given. bpfscript makes the
// functions of units hidden, so the verifier checks it as a static subprogram
// in its caller's context; as a global one it could read only s[0].
__attribute__((noinline)) int __strnlen(const char *s, int cap)
{
  int n = 0;
  while (n < cap && n < MAX_SCAN && s[n] != 0)
    n++;
  return n;
}

// Private to this file: not callable from scripts.
static int clamp_len(int n, int cap)
{
  return n >= cap ? cap - 1 : n;
}

// Writes `s` reversed into `out` (capacity `cap`); returns its length.
long __strrev(const char *s, int slen, char *out, int cap)
{
  int n = clamp_len(__strnlen(s, slen), cap);
  for (int i = 0; i < n && i < MAX_SCAN; i++)
    out[i] = s[n - 1 - i];
  if (n >= 0 && n < cap)
    out[n] = 0;
  return n;
}
