// The C half of stdlib/strings.bt.
//
// Length and search use the kernel's string kfuncs (bpf_strnlen and
// bpf_strnstr, Linux 6.17 and later, callable from every program type
// bpfscript makes: raw_tp, tracepoint, perf_event, kprobe/uprobe) and fall back
// to bounded loops on older kernels. The strings arrive as pointers to copies
// on the BPF stack with their capacities; functions of imported units are
// verified in their caller's context, so the capacities are known constants
// there and the loops are bounded by them.
//
// strerror(), signal_name() and syscall_name() copy a name out of a table in
// .rodata (generated: scripts/gen-string-tables.ts).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "errors.h"
#include "signals.h"
#include "syscalls.h"

#ifndef BS_STRINGS_LOOPS_ONLY
extern int bpf_strnlen(const char *s__ign, __u64 count) __ksym __weak;
extern int bpf_strnstr(const char *s1__ign, const char *s2__ign, __u64 len) __ksym __weak;
#define BS_HAVE(kfunc) (kfunc != 0)
#else
// Tests build this file with BS_STRINGS_LOOPS_ONLY to run the fallbacks.
#define BS_HAVE(kfunc) 0
#define bpf_strnlen(s, n) (-1)
#define bpf_strnstr(h, n, l) (-1)
#endif

// The bytes of `s` before its first NUL, at most `cap`.
long __bs_strnlen(const char *s, __u64 cap)
{
  if (BS_HAVE(bpf_strnlen)) {
    long n = bpf_strnlen(s, cap);
    return n < 0 ? 0 : n;
  }
  __u64 i;
  for (i = 0; i < cap; i++) {
    if (s[i] == 0)
      break;
  }
  return i;
}

// Whether `needle` (NUL-terminated or `ncap` long) starts at haystack[at].
static int starts_at(const char *haystack, __u64 hcap, __u64 at, const char *needle, __u64 ncap)
{
  for (__u64 j = 0; j < ncap; j++) {
    if (needle[j] == 0)
      return 1;
    if (at + j >= hcap || haystack[at + j] != needle[j])
      return 0;
  }
  return 1;
}

// The index of the first `needle` in `haystack` (each NUL-terminated within
// its capacity), or -1. An empty needle is found at 0.
long __bs_strnstr(const char *haystack, __u64 hcap, const char *needle, __u64 ncap)
{
  if (ncap == 0 || needle[0] == 0)
    return 0;
  if (BS_HAVE(bpf_strnstr)) {
    long at = bpf_strnstr(haystack, needle, hcap);
    return at < 0 ? -1 : at;
  }
  for (__u64 i = 0; i < hcap; i++) {
    if (haystack[i] == 0)
      return -1;
    if (starts_at(haystack, hcap, i, needle, ncap))
      return i;
  }
  return -1;
}

// The name `table` holds at index `i` (one of `slots`), or `unknown`.
static void copy_name(char *out, const char (*table)[64], __u64 slots, __u64 i, const char *unknown)
{
  if (i < slots && table[i & (slots - 1)][0] != 0)
    __builtin_memcpy(out, table[i & (slots - 1)], 64);
  else
    __builtin_memcpy(out, unknown, 64);
}

static const char unknown_error[64] = "Unknown error";
static const char unknown_signal[64] = "N/A";
static const char unknown_syscall[64] = "Unknown syscall";

// The message of errno `e` (or of -e), as strerror(3) words it.
void __bs_strerror(int e, char *out)
{
  __u64 i = e < 0 ? -(__s64)e : e;
  copy_name(out, bs_errno_names, BS_ERRNO_SLOTS, i, unknown_error);
}

// The description of signal `sig`, as strsignal(3) words it.
void __bs_signal_name(int sig, char *out)
{
  copy_name(out, bs_signal_names, sig < 0 ? 0 : BS_SIGNAL_SLOTS, sig, unknown_signal);
}

// The name of system call `nr` on this architecture.
void __bs_syscall_name(int nr, char *out)
{
  copy_name(out, bs_syscall_names, nr < 0 ? 0 : BS_SYSCALL_SLOTS, nr, unknown_syscall);
}
