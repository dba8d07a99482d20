SEC("tracepoint/sched/sched_switch")
int bs_probe_0(void *ctx)
{
  struct bs_str_16 v_name = {};
  struct bs_tuple_1 v_t = {};
  v_name = ({ struct bs_str_16 __v0; bpf_probe_read_kernel(&__v0, sizeof(__v0), &((*(struct _tracepoint_sched_sched_switch *)ctx)).prev_comm); __v0; });
  {
    __s64 __key1 = ((__s64)(({ struct bs_str_16 __obj3 = v_name; __u64 __idx2 = 0LL; __idx2 < 16 ? __obj3.s[__idx2] : (__s8)0; })));
    ({ long __ur4 = bs_agg_add(&map_first, &__key1, 1); if (__ur4 < 0) ({ struct bs_event_0 *__ev5 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev5) { __ev5->id = 0; __ev5->f0 = __ur4; bpf_ringbuf_submit(__ev5, 0); } else { bs_drop(); } }); });
  }
  v_t = ((struct bs_tuple_1){ .f0 = 1LL, .f1 = ((struct bs_str_2){ .s = "x" }), .f2 = ((*(struct _tracepoint_sched_sched_switch *)ctx)).next_pid });
  {
    struct bs_tuple_0 __key6 = {};
    __key6 = (struct bs_tuple_0){ .f0 = ((__s64)((v_t).f0)), .f1 = ((__s64)((v_t).f2)) };
    ({ long __ur7 = bs_agg_add(&map_tuple, &__key6, ((__s64)((v_t).f0))); if (__ur7 < 0) ({ struct bs_event_1 *__ev8 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_1), 0); if (__ev8) { __ev8->id = 1; __ev8->f0 = __ur7; bpf_ringbuf_submit(__ev8, 0); } else { bs_drop(); } }); });
  }
  ({ struct bs_event_2 *__ev15 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_2), 0); if (__ev15) { __ev15->id = 2; __ev15->f0 = ({ struct task_struct *__p9 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v10; __builtin_memset(&__v10, 0, sizeof(__v10)); if (__p9) bpf_probe_read_kernel(&__v10, sizeof(__v10), __builtin_preserve_access_index(&__p9->comm)); __v10; }); __ev15->f1 = ((__s64)(({ struct bs_str_16 __obj12 = ({ struct task_struct *__p13 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v14; __builtin_memset(&__v14, 0, sizeof(__v14)); if (__p13) bpf_probe_read_kernel(&__v14, sizeof(__v14), __builtin_preserve_access_index(&__p13->comm)); __v14; }); __u64 __idx11 = 1LL; __idx11 < 16 ? __obj12.s[__idx11] : (__s8)0; }))); bpf_ringbuf_submit(__ev15, 0); } else { bs_drop(); } });
  return 0;
}
