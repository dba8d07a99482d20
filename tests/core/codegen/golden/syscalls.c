static __always_inline int bs_probe_0(void *ctx)
{
  {
    struct bs_tuple_0 __key0 = {};
    __key0 = (struct bs_tuple_0){ .f0 = ((struct bs_str_37){ .s = "tracepoint:syscalls:sys_enter_openat" }), .f1 = ((__s64)(((*(struct _tracepoint_syscalls_sys_enter_openat *)ctx)).__syscall_nr)) };
    ({ long __ur1 = bs_agg_add(&map_, &__key0, 1); if (__ur1 < 0) bs_update_failed(0, __ur1); });
  }
  return 0;
}

static __always_inline int bs_probe_1(void *ctx)
{
  {
    struct bs_tuple_0 __key0 = {};
    __key0 = (struct bs_tuple_0){ .f0 = ({ struct bs_str_36 __src1 = ((struct bs_str_36){ .s = "tracepoint:syscalls:sys_enter_close" }); struct bs_str_37 __dst2 = {}; __builtin_memcpy(__dst2.s, __src1.s, 36); __dst2.s[36] = 0; __dst2; }), .f1 = ((__s64)(((*(struct _tracepoint_syscalls_sys_enter_close *)ctx)).__syscall_nr)) };
    ({ long __ur3 = bs_agg_add(&map_, &__key0, 1); if (__ur3 < 0) bs_update_failed(1, __ur3); });
  }
  return 0;
}

static __always_inline int bs_probe_2(void *ctx)
{
  {
    __u32 __key0 = {};
    bs_agg_add(&map_closes, &__key0, 1);
  }
  return 0;
}

static __always_inline int bs_probe_3(void *ctx)
{
  if (!((((__u8)((__s64)(((*(struct _tracepoint_syscalls_sys_exit_read *)ctx)).ret) > (__s64)(0LL)))) != 0))
    return 0;
  {
    __u64 __key0 = {};
    ({ long __ur1 = bs_agg_add(&map_bytes, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_read *)ctx)).ret))); if (__ur1 < 0) bs_update_failed(2, __ur1); });
  }
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bs_probe_4(void *ctx)
{
  {
    __s64 __key0 = 
({ __s64 __bs_stack = bpf_get_stackid(ctx, &bs_kstacks, 0);
#ifdef BS_COUNT_STACK_FRAMES
  if (__bs_stack >= 0) __bs_stack |= bs_stack_depth(ctx, 1016, 0, 8) << 32;
#endif
  __bs_stack; })
;
    ({ long __ur1 = bs_agg_add(&map_s, &__key0, 1); if (__ur1 < 0) bs_update_failed(3, __ur1); });
  }
  return 0;
}

static __always_inline int bs_probe_5(void *ctx)
{
  {
    __u32 __key0 = {};
    bs_agg_add(&map_g, &__key0, 1);
  }
  return 0;
}

static __always_inline int bs_probe_6(void *ctx)
{
  {
    __u32 __key0 = {};
    bs_agg_add(&map_g, &__key0, 1);
  }
  return 0;
}

static __always_inline int bs_probe_7(void *ctx)
{
  {
    __u32 __key0 = {};
    bs_agg_add(&map_g, &__key0, 1);
  }
  return 0;
}

static __always_inline int bs_probe_8(void *ctx)
{
  {
    __u32 __key0 = {};
    bs_agg_add(&map_g, &__key0, 1);
  }
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bs_probe_9(void *ctx)
{
  {
    __u32 __key0 = {};
    bs_agg_add(&map_g, &__key0, 1);
  }
  return 0;
}

static __always_inline int bs_probe_10(void *ctx)
{
  {
    __u32 __key0 = {};
    bs_agg_add(&map_g, &__key0, 1);
  }
  return 0;
}

static __always_inline int bs_probe_11(void *ctx)
{
  {
    struct bs_str_41 __key0 = ((struct bs_str_41){ .s = "tracepoint:syscalls:sys_exit_getpeername" });
    ({ long __ur1 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_getpeername *)ctx)).ret)), 1, 1); if (__ur1 < 0) bs_update_failed(4, __ur1); });
  }
  return 0;
}

static __always_inline int bs_probe_12(void *ctx)
{
  {
    struct bs_str_41 __key0 = ({ struct bs_str_37 __src1 = ((struct bs_str_37){ .s = "tracepoint:syscalls:sys_exit_getpgid" }); struct bs_str_41 __dst2 = {}; __builtin_memcpy(__dst2.s, __src1.s, 37); __dst2.s[40] = 0; __dst2; });
    ({ long __ur3 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_getpgid *)ctx)).ret)), 1, 1); if (__ur3 < 0) bs_update_failed(5, __ur3); });
  }
  return 0;
}

static __always_inline int bs_probe_13(void *ctx)
{
  {
    struct bs_str_41 __key0 = ({ struct bs_str_37 __src1 = ((struct bs_str_37){ .s = "tracepoint:syscalls:sys_exit_getpgrp" }); struct bs_str_41 __dst2 = {}; __builtin_memcpy(__dst2.s, __src1.s, 37); __dst2.s[40] = 0; __dst2; });
    ({ long __ur3 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_getpgrp *)ctx)).ret)), 1, 1); if (__ur3 < 0) bs_update_failed(6, __ur3); });
  }
  return 0;
}

static __always_inline int bs_probe_14(void *ctx)
{
  {
    struct bs_str_41 __key0 = ({ struct bs_str_36 __src1 = ((struct bs_str_36){ .s = "tracepoint:syscalls:sys_exit_getpid" }); struct bs_str_41 __dst2 = {}; __builtin_memcpy(__dst2.s, __src1.s, 36); __dst2.s[40] = 0; __dst2; });
    ({ long __ur3 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_getpid *)ctx)).ret)), 1, 1); if (__ur3 < 0) bs_update_failed(7, __ur3); });
  }
  return 0;
}

static __always_inline int bs_probe_15(void *ctx)
{
  {
    struct bs_str_41 __key0 = ({ struct bs_str_37 __src1 = ((struct bs_str_37){ .s = "tracepoint:syscalls:sys_exit_getppid" }); struct bs_str_41 __dst2 = {}; __builtin_memcpy(__dst2.s, __src1.s, 37); __dst2.s[40] = 0; __dst2; });
    ({ long __ur3 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_getppid *)ctx)).ret)), 1, 1); if (__ur3 < 0) bs_update_failed(8, __ur3); });
  }
  return 0;
}

static __always_inline int bs_probe_16(void *ctx)
{
  {
    struct bs_str_41 __key0 = ((struct bs_str_41){ .s = "tracepoint:syscalls:sys_exit_getpriority" });
    ({ long __ur1 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_getpriority *)ctx)).ret)), 1, 1); if (__ur1 < 0) bs_update_failed(9, __ur1); });
  }
  return 0;
}

static __always_inline int bs_probe_17(void *ctx)
{
  {
    struct bs_str_41 __key0 = ({ struct bs_str_36 __src1 = ((struct bs_str_36){ .s = "tracepoint:syscalls:sys_exit_getuid" }); struct bs_str_41 __dst2 = {}; __builtin_memcpy(__dst2.s, __src1.s, 36); __dst2.s[40] = 0; __dst2; });
    ({ long __ur3 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_getuid *)ctx)).ret)), 1, 1); if (__ur3 < 0) bs_update_failed(10, __ur3); });
  }
  return 0;
}

static __always_inline int bs_probe_18(void *ctx)
{
  {
    struct bs_str_41 __key0 = ({ struct bs_str_37 __src1 = ((struct bs_str_37){ .s = "tracepoint:syscalls:sys_exit_geteuid" }); struct bs_str_41 __dst2 = {}; __builtin_memcpy(__dst2.s, __src1.s, 37); __dst2.s[40] = 0; __dst2; });
    ({ long __ur3 = bs_agg_minmax(&map_r, &__key0, ((__s64)(((*(struct _tracepoint_syscalls_sys_exit_geteuid *)ctx)).ret)), 1, 1); if (__ur3 < 0) bs_update_failed(11, __ur3); });
  }
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_enter_3(void *ctx)
{
  const __s64 __bs_selector = 3;
  void *__bs_context = 0;
  __bs_context = bs_sys_enter_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_1(__bs_context);
  bs_probe_2(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_enter_39(void *ctx)
{
  const __s64 __bs_selector = 39;
  void *__bs_context = 0;
  bs_probe_8(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_enter_52(void *ctx)
{
  const __s64 __bs_selector = 52;
  void *__bs_context = 0;
  bs_probe_5(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_enter_111(void *ctx)
{
  const __s64 __bs_selector = 111;
  void *__bs_context = 0;
  bs_probe_7(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_enter_121(void *ctx)
{
  const __s64 __bs_selector = 121;
  void *__bs_context = 0;
  bs_probe_6(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_enter_140(void *ctx)
{
  const __s64 __bs_selector = 140;
  void *__bs_context = 0;
  bs_probe_10(__bs_context);
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
  bs_probe_0(__bs_context);
  return 0;
}

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 258);
  __type(key, __u32);
  __array(values, int (void *));
} bs_hook_sys_enter_programs SEC(".maps") = {
  .values = {
    [3] = (void *)&bs_hook_sys_enter_3,
    [39] = (void *)&bs_hook_sys_enter_39,
    [52] = (void *)&bs_hook_sys_enter_52,
    [111] = (void *)&bs_hook_sys_enter_111,
    [121] = (void *)&bs_hook_sys_enter_121,
    [140] = (void *)&bs_hook_sys_enter_140,
    [257] = (void *)&bs_hook_sys_enter_257,
  },
};

static const __u64 bs_hook_sys_enter_numbers[5] = { 0x10008000000008ULL, 0x200800000000000ULL, 0x1000ULL, 0x0ULL, 0x2ULL };

SEC("raw_tp/sys_enter")
int bs_hook_sys_enter(void *ctx)
{
  __s64 __bs_selector = (__s32)((__u64 *)ctx)[1];
  if (__bs_selector < 0 || __bs_selector >= 258)
    return 0;
  if (!(bs_hook_sys_enter_numbers[(__u64)__bs_selector >> 6] & (1ULL << (__bs_selector & 63))))
    return 0;
  if (!(bs_syscall_native()))
    return 0;
  bpf_tail_call(ctx, &bs_hook_sys_enter_programs, (__u32)__bs_selector);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_0(void *ctx)
{
  const __s64 __bs_selector = 0;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_3(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_39(void *ctx)
{
  const __s64 __bs_selector = 39;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_14(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_52(void *ctx)
{
  const __s64 __bs_selector = 52;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_11(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_102(void *ctx)
{
  const __s64 __bs_selector = 102;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_17(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_107(void *ctx)
{
  const __s64 __bs_selector = 107;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_18(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_110(void *ctx)
{
  const __s64 __bs_selector = 110;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_15(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_111(void *ctx)
{
  const __s64 __bs_selector = 111;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_13(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_121(void *ctx)
{
  const __s64 __bs_selector = 121;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_12(__bs_context);
  return 0;
}

SEC("raw_tp")
int bs_hook_sys_exit_140(void *ctx)
{
  const __s64 __bs_selector = 140;
  void *__bs_context = 0;
  __bs_context = bs_sys_exit_context(ctx, __bs_selector);
  if (!__bs_context)
    return 0;
  bs_probe_16(__bs_context);
  return 0;
}

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 141);
  __type(key, __u32);
  __array(values, int (void *));
} bs_hook_sys_exit_programs SEC(".maps") = {
  .values = {
    [0] = (void *)&bs_hook_sys_exit_0,
    [39] = (void *)&bs_hook_sys_exit_39,
    [52] = (void *)&bs_hook_sys_exit_52,
    [102] = (void *)&bs_hook_sys_exit_102,
    [107] = (void *)&bs_hook_sys_exit_107,
    [110] = (void *)&bs_hook_sys_exit_110,
    [111] = (void *)&bs_hook_sys_exit_111,
    [121] = (void *)&bs_hook_sys_exit_121,
    [140] = (void *)&bs_hook_sys_exit_140,
  },
};

static const __u64 bs_hook_sys_exit_numbers[3] = { 0x10008000000001ULL, 0x200c84000000000ULL, 0x1000ULL };

SEC("raw_tp/sys_exit")
int bs_hook_sys_exit(void *ctx)
{
  __s64 __bs_selector = bs_sys_exit_nr(ctx);
  if (__bs_selector < 0 || __bs_selector >= 141)
    return 0;
  if (!(bs_hook_sys_exit_numbers[(__u64)__bs_selector >> 6] & (1ULL << (__bs_selector & 63))))
    return 0;
  if (!(bs_syscall_native()))
    return 0;
  bpf_tail_call(ctx, &bs_hook_sys_exit_programs, (__u32)__bs_selector);
  return 0;
}
