SEC("tracepoint/sched/sched_switch")
int bs_probe_0(void *ctx)
{
  struct bs_str_16 v_name = {};
  struct bs_tuple_1 v_t = {};
  v_name = ({ struct bs_str_16 __v0; bpf_probe_read_kernel(&__v0, sizeof(__v0), &((*(struct _tracepoint_sched_sched_switch *)ctx)).prev_comm); __v0; });
  {
    __s64 __key1 = ((__s64)(({ struct bs_str_16 __obj3 = v_name; __u64 __idx2 = 0LL; __idx2 < 16 ? __obj3.s[__idx2] : (__s8)0; })));
    bs_agg_add(&map_first, &__key1, 1);
  }
  v_t = ((struct bs_tuple_1){ .f0 = 1LL, .f1 = ((struct bs_str_2){ .s = "x" }), .f2 = ((*(struct _tracepoint_sched_sched_switch *)ctx)).next_pid });
  {
    struct bs_tuple_0 __key4 = {};
    __key4 = (struct bs_tuple_0){ .f0 = ((__s64)((v_t).f0)), .f1 = ((__s64)((v_t).f2)) };
    bs_agg_add(&map_tuple, &__key4, ((__s64)((v_t).f0)));
  }
  ({ struct bs_event_0 *__ev11 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev11) { __ev11->id = 0; __ev11->f0 = ({ struct task_struct *__p5 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v6; __builtin_memset(&__v6, 0, sizeof(__v6)); if (__p5) bpf_probe_read_kernel(&__v6, sizeof(__v6), __builtin_preserve_access_index(&__p5->comm)); __v6; }); __ev11->f1 = ((__s64)(({ struct bs_str_16 __obj8 = ({ struct task_struct *__p9 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v10; __builtin_memset(&__v10, 0, sizeof(__v10)); if (__p9) bpf_probe_read_kernel(&__v10, sizeof(__v10), __builtin_preserve_access_index(&__p9->comm)); __v10; }); __u64 __idx7 = 1LL; __idx7 < 16 ? __obj8.s[__idx7] : (__s8)0; }))); bpf_ringbuf_submit(__ev11, 0); } else { bs_drop(); } });
  return 0;
}
