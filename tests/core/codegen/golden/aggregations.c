struct bs_locals_bs_probe_0 {
  void *ctx;
  struct bs_tuple_1 v_kv;
};

static long bs_probe_0_for25(void *map, const void *key, void *value, void *cb_ctx)
{
  struct bs_locals_bs_probe_0 *L = cb_ctx;
  void *ctx = L->ctx;
  L->v_kv = (struct bs_tuple_1){ .f0 = *(struct bs_tuple_0 *)key, .f1 = bs_percpu_sum(&map_k, key) };
  {
    __u64 __key26 = 0;
    __s64 *__old28 = bpf_map_lookup_elem(&map_total, &__key26);
    __s64 __val27 = __old28 ? *__old28 : 0;
    __val27 += (L->v_kv).f1;
    ({ long __ur29 = bpf_map_update_elem(&map_total, &__key26, &__val27, BPF_ANY); if (__ur29 < 0) ({ struct bs_event_8 *__ev30 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_8), 0); if (__ev30) { __ev30->id = 8; __ev30->f0 = __ur29; bpf_ringbuf_submit(__ev30, 0); } else { bs_drop(); } }); });
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
    ({ long __ur2 = bs_agg_add(&map_s, &__key1, ((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32))))); if (__ur2 < 0) ({ struct bs_event_0 *__ev3 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev3) { __ev3->id = 0; __ev3->f0 = __ur2; bpf_ringbuf_submit(__ev3, 0); } else { bs_drop(); } }); });
  }
  {
    __u64 __key4 = {};
    ({ long __ur5 = bs_agg_avg(&map_a, &__key4, ((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32))))); if (__ur5 < 0) ({ struct bs_event_1 *__ev6 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_1), 0); if (__ev6) { __ev6->id = 1; __ev6->f0 = __ur5; bpf_ringbuf_submit(__ev6, 0); } else { bs_drop(); } }); });
  }
  {
    __u64 __key7 = {};
    ({ long __ur8 = bs_agg_minmax(&map_mn, &__key7, ((__s64)(((__u32)bpf_get_current_pid_tgid()))), 0, 0); if (__ur8 < 0) ({ struct bs_event_2 *__ev9 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_2), 0); if (__ev9) { __ev9->id = 2; __ev9->f0 = __ur8; bpf_ringbuf_submit(__ev9, 0); } else { bs_drop(); } }); });
  }
  {
    __u64 __key10 = {};
    ({ long __ur11 = bs_agg_minmax(&map_mx, &__key10, ((__s64)(((__u32)bpf_get_current_pid_tgid()))), 1, 0); if (__ur11 < 0) ({ struct bs_event_3 *__ev12 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_3), 0); if (__ev12) { __ev12->id = 3; __ev12->f0 = __ur11; bpf_ringbuf_submit(__ev12, 0); } else { bs_drop(); } }); });
  }
  {
    __u64 __key13 = {};
    ({ long __ur14 = bs_agg_avg(&map_st, &__key13, ((__s64)(((__u32)bpf_get_smp_processor_id())))); if (__ur14 < 0) ({ struct bs_event_4 *__ev15 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_4), 0); if (__ev15) { __ev15->id = 4; __ev15->f0 = __ur14; bpf_ringbuf_submit(__ev15, 0); } else { bs_drop(); } }); });
  }
  {
    struct bs_hkey_map_h __key16 = {};
    ({ long __ur17 = (__key16.bucket = __bt_hist_bucket(((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))), 2), bs_agg_add(&map_h, &__key16, 1)); if (__ur17 < 0) ({ struct bs_event_5 *__ev18 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_5), 0); if (__ev18) { __ev18->id = 5; __ev18->f0 = __ur17; bpf_ringbuf_submit(__ev18, 0); } else { bs_drop(); } }); });
  }
  {
    struct bs_hkey_map_l __key19 = {};
    ({ long __ur20 = (__key19.bucket = __bt_lhist_bucket(((__s64)(((__u32)bpf_get_smp_processor_id()))), 0LL, 8LL, 1LL), bs_agg_add(&map_l, &__key19, 1)); if (__ur20 < 0) ({ struct bs_event_6 *__ev21 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_6), 0); if (__ev21) { __ev21->id = 6; __ev21->f0 = __ur20; bpf_ringbuf_submit(__ev21, 0); } else { bs_drop(); } }); });
  }
  {
    struct bs_tuple_0 __key22 = {};
    __key22 = (struct bs_tuple_0){ .f0 = ({ struct bs_str_16 __comm; bpf_get_current_comm(__comm.s, sizeof(__comm.s)); __comm; }), .f1 = ((__u64)(((__u32)(bpf_get_current_pid_tgid() >> 32)))) };
    ({ long __ur23 = bs_agg_add(&map_k, &__key22, 1); if (__ur23 < 0) ({ struct bs_event_7 *__ev24 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_7), 0); if (__ev24) { __ev24->id = 7; __ev24->f0 = __ur23; bpf_ringbuf_submit(__ev24, 0); } else { bs_drop(); } }); });
  }
  bpf_for_each_map_elem(&map_k, bs_probe_0_for25, L, 0);
  return 0;
}
