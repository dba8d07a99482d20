SEC("raw_tp")
int bs_probe_0(void *ctx)
{
  __u8 v_a = 0;
  __s16 v_b = 0;
  __u64 v_t = 0;
  struct bs_str_8 v_s = {};
  __u8 v_c = 0;
  v_a = 44ULL;
  v_b = (-1LL);
  v_t = ((__u64)(((__u64)(((__u64)bpf_get_current_task())))));
  v_s = ({ struct bs_str_4 __src0 = ((struct bs_str_4){ .s = "abc" }); struct bs_str_8 __dst1 = {}; __builtin_memcpy(__dst1.s, __src0.s, 4); __dst1.s[7] = 0; __dst1; });
  v_c = ((__u8)(7LL));
  ({ struct bs_event_0 *__ev4 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev4) { __ev4->id = 0; __ev4->f0 = ((__u64)(v_a)); __ev4->f1 = ((__s64)(v_b)); __ev4->f2 = ((__s64)(({ struct task_struct *__p2 = ((struct task_struct *)(v_t)); __s32 __v3; __builtin_memset(&__v3, 0, sizeof(__v3)); if (__p2) bpf_probe_read_kernel(&__v3, sizeof(__v3), __builtin_preserve_access_index(&__p2->pid)); __v3; }))); __ev4->f3 = v_s; __ev4->f4 = ((__u64)(v_c)); bpf_ringbuf_submit(__ev4, 0); } else { bs_drop(); } });
  return 0;
}
