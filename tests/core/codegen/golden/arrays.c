SEC("tracepoint/sched/sched_switch")
int bs_probe_0(void *ctx)
{
  struct bs_str_16 v_name = {};
  struct bs_tuple_1 v_t = {};
  v_name = ({ struct bs_str_16 __v0; bpf_probe_read_kernel(&__v0, sizeof(__v0), &((*(struct _tracepoint_sched_sched_switch *)ctx)).prev_comm); __v0; });
  {
    __s64 __key1 = ((__s64)(({ struct bs_str_16 __obj3 = v_name; __u64 __idx2 = 0LL; __idx2 < 16 ? __obj3.s[__idx2] : (__s8)0; })));
    ({ long __ur4 = bs_agg_add(&map_first, &__key1, 1); if (__ur4 < 0) bs_update_failed(0, __ur4); });
  }
  v_t = ((struct bs_tuple_1){ .f0 = 1LL, .f1 = ((struct bs_str_2){ .s = "x" }), .f2 = ((*(struct _tracepoint_sched_sched_switch *)ctx)).next_pid });
  {
    struct bs_tuple_0 __key5 = {};
    __key5 = (struct bs_tuple_0){ .f0 = ((__s64)((v_t).f0)), .f1 = ((__s64)((v_t).f2)) };
    ({ long __ur6 = bs_agg_add(&map_tuple, &__key5, ((__s64)((v_t).f0))); if (__ur6 < 0) bs_update_failed(1, __ur6); });
  }
  ({ struct bs_event_2 *__ev13 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_2), 0); if (__ev13) { __ev13->id = 2; __ev13->f0 = ({ struct task_struct *__p7 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v8; __builtin_memset(&__v8, 0, sizeof(__v8)); if (__p7) bpf_probe_read_kernel(&__v8, sizeof(__v8), __builtin_preserve_access_index(&__p7->comm)); __v8; }); __ev13->f1 = ((__s64)(({ struct bs_str_16 __obj10 = ({ struct task_struct *__p11 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v12; __builtin_memset(&__v12, 0, sizeof(__v12)); if (__p11) bpf_probe_read_kernel(&__v12, sizeof(__v12), __builtin_preserve_access_index(&__p11->comm)); __v12; }); __u64 __idx9 = 1LL; __idx9 < 16 ? __obj10.s[__idx9] : (__s8)0; }))); bpf_ringbuf_submit(__ev13, 0); } else { bs_drop(); } });
  return 0;
}
