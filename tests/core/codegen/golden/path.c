SEC("fentry/security_file_open")
int bs_probe_0(void *ctx)
{
  ({ struct bs_event_0 *__ev1 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev1) { __ev1->id = 0; __ev1->f0 = ({ ({  0; }); ({ struct bs_str_64 __pb = {}; __u64 __pa = ({ struct file *__p0 = ((struct file *)(((*(struct bs_fentry__security_file_open *)ctx)).file)); __p0 ? (__u64)__builtin_preserve_access_index(&__p0->f_path) : 0; }); if (__pa) bpf_d_path((struct path *)__pa, __pb.s, 64); __pb; }); }); bpf_ringbuf_submit(__ev1, 0); } else { bs_drop(); } });
  return 0;
}

SEC("fentry/vfs_open")
int bs_probe_1(void *ctx)
{
  ({ struct bs_event_1 *__ev1 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_1), 0); if (__ev1) { __ev1->id = 1; __ev1->f0 = ({ ({  0; }); ({ struct bs_str_32 __pb = {}; __u64 __pa = ({ struct path *__p0 = ((struct path *)(((*(struct bs_fentry__vfs_open *)ctx)).path)); __p0 ? (__u64)__builtin_preserve_access_index(__p0) : 0; }); if (__pa) bpf_d_path((struct path *)__pa, __pb.s, 32); __pb; }); }); bpf_ringbuf_submit(__ev1, 0); } else { bs_drop(); } });
  return 0;
}
