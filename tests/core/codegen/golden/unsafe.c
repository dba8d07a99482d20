SEC("kprobe/__x64_sys_getuid")
int bs_probe_0(void *ctx)
{
  ({ ((void)bpf_override_return(ctx, (__u64)(4194304LL))); 0; });
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int bs_probe_1(void *ctx)
{
  __u8 v_ok = 0;
  __u8 v_n = 0;
  v_ok = ((__u8)((({  ({ struct bs_str_7 __wsrc = ((struct bs_str_7){ .s = "/tmp/x" }); __u64 __wlen = (7LL); if (__wlen > sizeof(__wsrc)) __wlen = sizeof(__wsrc); (__u8)(bpf_probe_write_user((void *)(__u64)(((*(struct _tracepoint_syscalls_sys_enter_openat *)ctx)).filename), &__wsrc, __wlen) == 0); }); })) != 0));
  v_n = ((__u8)((({  ({ __u8 __wsrc = 0ULL; __u64 __wlen = (1LL); if (__wlen > sizeof(__wsrc)) __wlen = sizeof(__wsrc); (__u8)(bpf_probe_write_user((void *)(__u64)(((*(struct _tracepoint_syscalls_sys_enter_openat *)ctx)).filename), &__wsrc, __wlen) == 0); }); })) != 0));
  ({ ((void)bpf_send_signal_thread(19)); 0; });
  return 0;
}
