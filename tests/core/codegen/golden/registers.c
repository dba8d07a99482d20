SEC("kprobe/vfs_read")
int bs_probe_0(void *ctx)
{
  {
    struct bs_tuple_0 __key0 = {};
    __key0 = (struct bs_tuple_0){ .f0 = ((struct bs_str_9){ .s = "vfs_read" }), .f1 = (*(__u64 *)((char *)ctx + 128)), .f2 = (*(__u64 *)((char *)ctx + 152)), .f3 = ((__u64)(((__u8)(((*(__u64 *)((char *)ctx + 136)) & 3) == 3)))) };
    ({ long __ur1 = bs_agg_add(&map_, &__key0, 1); if (__ur1 < 0) bs_update_failed(0, __ur1); });
  }
  {
    __u64 __key2 = 0;
    __u64 __val3 = ((__u64)(((__u64)ctx)));
    ({ long __ur4 = bpf_map_update_elem(&map_ctx, &__key2, &__val3, BPF_ANY); if (__ur4 < 0) bs_update_failed(1, __ur4); });
  }
  return 0;
}

SEC("kretprobe/vfs_read")
int bs_probe_1(void *ctx)
{
  {
    struct bs_str_9 __key0 = ((struct bs_str_9){ .s = "vfs_read" });
    ({ long __ur1 = bs_agg_add(&map_ret, &__key0, ((__s64)((*(__u64 *)((char *)ctx + 80))))); if (__ur1 < 0) bs_update_failed(2, __ur1); });
  }
  return 0;
}
