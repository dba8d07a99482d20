SEC("fentry/vfs_read")
int bs_probe_0(void *ctx)
{
  {
    struct bs_tuple_0 __key0 = {};
    __key0 = (struct bs_tuple_0){ .f0 = ((*(struct bs_fentry__vfs_read *)ctx)).count, .f1 = ((__u64)(({ struct file *__p1 = ((struct file *)(((*(struct bs_fentry__vfs_read *)ctx)).file)); __u32 __v2; __builtin_memset(&__v2, 0, sizeof(__v2)); if (__p1) bpf_probe_read_kernel(&__v2, sizeof(__v2), __builtin_preserve_access_index(&__p1->f_flags)); __v2; }))) };
    ({ long __ur3 = bs_agg_add(&map_, &__key0, 1); if (__ur3 < 0) bs_update_failed(0, __ur3); });
  }
  return 0;
}

SEC("fexit/vfs_read")
int bs_probe_1(void *ctx)
{
  {
    struct bs_bucket_index __key0 = {};
    (__key0.bucket = __bt_hist_bucket(((__s64)((*(__u64 *)((char *)ctx + 32)))), 0), bs_agg_add(&map_ret, &__key0, 1));
  }
  return 0;
}
