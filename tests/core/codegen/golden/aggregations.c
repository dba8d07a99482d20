struct bs_locals_bs_probe_0 {
  void *ctx;
  struct bs_tuple_1 v_kv;
};

static long bs_probe_0_for9(void *map, const void *key, void *value, void *cb_ctx)
{
  struct bs_locals_bs_probe_0 *L = cb_ctx;
  void *ctx = L->ctx;
  L->v_kv = (struct bs_tuple_1){ .f0 = *(struct bs_tuple_0 *)key, .f1 = bs_percpu_sum(&map_k, key) };
  {
    __u64 __key10 = 0;
    __s64 *__old12 = bpf_map_lookup_elem(&map_total, &__key10);
    __s64 __val11 = __old12 ? *__old12 : 0;
    __val11 += (L->v_kv).f1;
    bpf_map_update_elem(&map_total, &__key10, &__val11, BPF_ANY);
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
    bs_agg_add(&map_s, &__key1, ((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))));
  }
  {
    __u64 __key2 = {};
    bs_agg_avg(&map_a, &__key2, ((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))));
  }
  {
    __u64 __key3 = {};
    bs_agg_minmax(&map_mn, &__key3, ((__s64)(((__u32)bpf_get_current_pid_tgid()))), 0, 0);
  }
  {
    __u64 __key4 = {};
    bs_agg_minmax(&map_mx, &__key4, ((__s64)(((__u32)bpf_get_current_pid_tgid()))), 1, 0);
  }
  {
    __u64 __key5 = {};
    bs_agg_avg(&map_st, &__key5, ((__s64)(((__u32)bpf_get_smp_processor_id()))));
  }
  {
    struct bs_hkey_map_h __key6 = {};
    __key6.bucket = __bt_hist_bucket(((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))), 2); bs_agg_add(&map_h, &__key6, 1);
  }
  {
    struct bs_hkey_map_l __key7 = {};
    __key7.bucket = __bt_lhist_bucket(((__s64)(((__u32)bpf_get_smp_processor_id()))), 0LL, 8LL, 1LL); bs_agg_add(&map_l, &__key7, 1);
  }
  {
    struct bs_tuple_0 __key8 = {};
    __key8 = (struct bs_tuple_0){ .f0 = bs_current_comm(), .f1 = ((__u64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))) };
    bs_agg_add(&map_k, &__key8, 1);
  }
  bpf_for_each_map_elem(&map_k, bs_probe_0_for9, L, 0);
  return 0;
}
