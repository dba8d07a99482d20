SEC("kprobe/vfs_read")
int bs_probe_0(void *ctx)
{
  if (!((((__u8)((__s64)((*(__u64 *)((char *)ctx + 96))) > (__s64)(100LL)))) != 0))
    return 0;
  {
    struct bs_str_16 __key0 = bs_current_comm();
    ({ long __ur1 = bs_agg_add(&map_bytes, &__key0, ((__s64)((*(__u64 *)((char *)ctx + 96))))); if (__ur1 < 0) bs_update_failed(0, __ur1); });
  }
  return 0;
}

SEC("kretprobe/vfs_read")
int bs_probe_1(void *ctx)
{
  {
    struct bs_bucket_index __key0 = {};
    (__key0.bucket = __bt_hist_bucket(((__s64)((*(__u64 *)((char *)ctx + 80)))), 0), bs_agg_add(&map_ret, &__key0, 1));
  }
  return 0;
}
