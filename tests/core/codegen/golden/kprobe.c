SEC("kprobe/vfs_read")
int bs_probe_0(void *ctx)
{
  if (!((((__u8)((__s64)((*(__u64 *)((char *)ctx + 96))) > (__s64)(100LL)))) != 0))
    return 0;
  {
    struct bs_str_16 __key0 = ({ struct bs_str_16 __comm; bpf_get_current_comm(__comm.s, sizeof(__comm.s)); __comm; });
    ({ long __ur1 = bs_agg_add(&map_bytes, &__key0, ((__s64)((*(__u64 *)((char *)ctx + 96))))); if (__ur1 < 0) ({ struct bs_event_0 *__ev2 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev2) { __ev2->id = 0; __ev2->f0 = __ur1; bpf_ringbuf_submit(__ev2, 0); } else { bs_drop(); } }); });
  }
  return 0;
}

SEC("kretprobe/vfs_read")
int bs_probe_1(void *ctx)
{
  {
    struct bs_hkey_map_ret __key0 = {};
    ({ long __ur1 = (__key0.bucket = __bt_hist_bucket(((__s64)((*(__u64 *)((char *)ctx + 80)))), 0), bs_agg_add(&map_ret, &__key0, 1)); if (__ur1 < 0) ({ struct bs_event_1 *__ev2 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_1), 0); if (__ev2) { __ev2->id = 1; __ev2->f0 = __ur1; bpf_ringbuf_submit(__ev2, 0); } else { bs_drop(); } }); });
  }
  return 0;
}
