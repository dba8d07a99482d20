struct bs_locals_bs_probe_0 {
  void *ctx;
  struct bs_tuple_1 v_kv;
};

static long bs_probe_0_for15(void *map, const void *key, void *value, void *cb_ctx)
{
  struct bs_locals_bs_probe_0 *L = cb_ctx;
  void *ctx = L->ctx;
  L->v_kv = (struct bs_tuple_1){ .f0 = *(struct bs_tuple_0 *)key, .f1 = bs_percpu_sum(&map_k, key) };
  {
    __u64 __key16 = 0;
    __s64 *__old18 = bpf_map_lookup_elem(&map_total, &__key16);
    __s64 __val17 = __old18 ? *__old18 : 0;
    __val17 += (L->v_kv).f1;
    ({ long __ur19 = bpf_map_update_elem(&map_total, &__key16, &__val17, BPF_ANY); if (__ur19 < 0) bs_update_failed(6, __ur19); });
  }
  return 0;
}
SEC("tracepoint/syscalls/sys_enter_getppid")
int bs_probe_0(void *ctx)
{
  struct bs_locals_bs_probe_0 __locals = {};
  struct bs_locals_bs_probe_0 *L = &__locals;
  L->ctx = ctx;
  {
    __u32 __key0 = {};
    bs_agg_add(&map_c, &__key0, 1);
  }
  {
    __u64 __key1 = {};
    ({ long __ur2 = bs_agg_add(&map_s, &__key1, ((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32))))); if (__ur2 < 0) bs_update_failed(0, __ur2); });
  }
  {
    __u64 __key3 = {};
    ({ long __ur4 = bs_agg_avg(&map_a, &__key3, ((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32))))); if (__ur4 < 0) bs_update_failed(1, __ur4); });
  }
  {
    __u64 __key5 = {};
    ({ long __ur6 = bs_agg_minmax(&map_mn, &__key5, ((__s64)(((__u32)bpf_get_current_pid_tgid()))), 0, 0); if (__ur6 < 0) bs_update_failed(2, __ur6); });
  }
  {
    __u64 __key7 = {};
    ({ long __ur8 = bs_agg_minmax(&map_mx, &__key7, ((__s64)(((__u32)bpf_get_current_pid_tgid()))), 1, 0); if (__ur8 < 0) bs_update_failed(3, __ur8); });
  }
  {
    __u64 __key9 = {};
    ({ long __ur10 = bs_agg_avg(&map_st, &__key9, ((__s64)(((__u32)bpf_get_smp_processor_id())))); if (__ur10 < 0) bs_update_failed(4, __ur10); });
  }
  {
    struct bs_bucket_index __key11 = {};
    (__key11.bucket = __bt_hist_bucket(((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))), 2), bs_agg_add(&map_h, &__key11, 1));
  }
  {
    struct bs_bucket_index __key12 = {};
    (__key12.bucket = __bt_lhist_bucket(((__s64)(((__u32)bpf_get_smp_processor_id()))), 0LL, 8LL, 1LL), bs_agg_add(&map_l, &__key12, 1));
  }
  {
    struct bs_tuple_0 __key13 = {};
    __key13 = (struct bs_tuple_0){ .f0 = bs_current_comm(), .f1 = ((__u64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))) };
    ({ long __ur14 = bs_agg_add(&map_k, &__key13, 1); if (__ur14 < 0) bs_update_failed(5, __ur14); });
  }
  bpf_for_each_map_elem(&map_k, bs_probe_0_for15, L, 0);
  return 0;
}
