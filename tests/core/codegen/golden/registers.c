SEC("kprobe/vfs_read")
int bs_probe_0(void *ctx)
{
  {
    struct bs_tuple_0 __key0 = {};
    __key0 = (struct bs_tuple_0){ .f0 = ((struct bs_str_9){ .s = "vfs_read" }), .f1 = (*(__u64 *)((char *)ctx + 128)), .f2 = (*(__u64 *)((char *)ctx + 152)), .f3 = ((__u64)(((__u8)(((*(__u64 *)((char *)ctx + 136)) & 3) == 3)))) };
    ({ long __ur1 = bs_agg_add(&map_, &__key0, 1); if (__ur1 < 0) ({ struct bs_event_0 *__ev2 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev2) { __ev2->id = 0; __ev2->f0 = __ur1; bpf_ringbuf_submit(__ev2, 0); } else { bs_drop(); } }); });
  }
  {
    __u64 __key3 = 0;
    __u64 __val4 = ((__u64)(((__u64)ctx)));
    ({ long __ur5 = bpf_map_update_elem(&map_ctx, &__key3, &__val4, BPF_ANY); if (__ur5 < 0) ({ struct bs_event_1 *__ev6 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_1), 0); if (__ev6) { __ev6->id = 1; __ev6->f0 = __ur5; bpf_ringbuf_submit(__ev6, 0); } else { bs_drop(); } }); });
  }
  return 0;
}

SEC("kretprobe/vfs_read")
int bs_probe_1(void *ctx)
{
  {
    struct bs_str_9 __key0 = ((struct bs_str_9){ .s = "vfs_read" });
    ({ long __ur1 = bs_agg_add(&map_ret, &__key0, ((__s64)((*(__u64 *)((char *)ctx + 80))))); if (__ur1 < 0) ({ struct bs_event_2 *__ev2 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_2), 0); if (__ev2) { __ev2->id = 2; __ev2->f0 = __ur1; bpf_ringbuf_submit(__ev2, 0); } else { bs_drop(); } }); });
  }
  return 0;
}
