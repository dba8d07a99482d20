SEC("kprobe/__x64_sys_getuid")
int bs_probe_0(void *ctx)
{
  ({ ((void)bpf_override_return(ctx, (__u64)(4194304LL))); 0; });
  return 0;
}

static __always_inline int bs_probe_1(void *ctx)
{
  __u8 v_ok = 0;
  __u8 v_n = 0;
  v_ok = ((__u8)((({  ({ struct bs_str_7 __wsrc = ((struct bs_str_7){ .s = "/tmp/x" }); __u64 __wlen = (7LL); if (__wlen > sizeof(__wsrc)) __wlen = sizeof(__wsrc); (__u8)(bpf_probe_write_user((void *)(__u64)(((*(struct _tracepoint_syscalls_sys_enter_openat *)ctx)).filename), &__wsrc, __wlen) == 0); }); })) != 0));
  v_n = ((__u8)((({  ({ __u8 __wsrc = 0ULL; __u64 __wlen = (1LL); if (__wlen > sizeof(__wsrc)) __wlen = sizeof(__wsrc); (__u8)(bpf_probe_write_user((void *)(__u64)(((*(struct _tracepoint_syscalls_sys_enter_openat *)ctx)).filename), &__wsrc, __wlen) == 0); }); })) != 0));
  ({ ((void)bpf_send_signal_thread(19)); 0; });
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_enter_257(void *ctx)
{
  const __s64 __bs_selector = 257;
  void *__bs_context = 0;
  __bs_context = bs_sys_enter_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_1(__bs_context);
  return 0;
}

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 258);
  __type(key, __u32);
  __array(values, int (void *));
} bs_hook_sys_enter_programs SEC(".maps") = {
  .values = {
    [257] = (void *)&bs_hook_sys_enter_257,
  },
};

static const __u64 bs_hook_sys_enter_numbers[5] = { 0x0ULL, 0x0ULL, 0x0ULL, 0x0ULL, 0x2ULL };

SEC("raw_tp/sys_enter")
int bs_hook_sys_enter(void *ctx)
{
  __s64 __bs_selector = (__s32)((__u64 *)ctx)[1];
  if (__bs_selector < 0 || __bs_selector >= 258)
    return 0;
  if (!(bs_hook_sys_enter_numbers[(__u64)__bs_selector >> 6] & (1ULL << (__bs_selector & 63))))
    return 0;
  if (!(!bs_syscall_compat()))
    return 0;
  bpf_tail_call(ctx, &bs_hook_sys_enter_programs, (__u32)__bs_selector);
  return 0;
}
