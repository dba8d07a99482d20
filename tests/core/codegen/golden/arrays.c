SEC("tracepoint/sched/sched_switch")
int bs_probe_0(void *ctx)
{
  struct bs_str_16 v_name = {};
  struct bs_tuple_1 v_t = {};
  v_name = ((*(struct _tracepoint_sched_sched_switch *)ctx)).prev_comm;
  {
    __s64 __key0 = ((__s64)(({ struct bs_str_16 __obj2 = v_name; __u64 __idx1 = 0LL; __idx1 < 16 ? __obj2.s[__idx1] : (__s8)0; })));
    bs_agg_add(&map_first, &__key0, 1);
  }
  v_t = ((struct bs_tuple_1){ .f0 = 1LL, .f1 = ((struct bs_str_2){ .s = "x" }), .f2 = ((*(struct _tracepoint_sched_sched_switch *)ctx)).next_pid });
  {
    struct bs_tuple_0 __key3 = {};
    __key3 = (struct bs_tuple_0){ .f0 = ((__s64)((v_t).f0)), .f1 = ((__s64)((v_t).f2)) };
    bs_agg_add(&map_tuple, &__key3, ((__s64)((v_t).f0)));
  }
  ({ struct bs_event_0 *__ev10 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev10) { __ev10->id = 0; __ev10->f0 = ({ struct task_struct *__p4 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v5; __builtin_memset(&__v5, 0, sizeof(__v5)); if (__p4) bpf_probe_read_kernel(&__v5, sizeof(__v5), __builtin_preserve_access_index(&__p4->comm)); __v5; }); __ev10->f1 = ((__s64)(({ struct bs_str_16 __obj7 = ({ struct task_struct *__p8 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); struct bs_str_16 __v9; __builtin_memset(&__v9, 0, sizeof(__v9)); if (__p8) bpf_probe_read_kernel(&__v9, sizeof(__v9), __builtin_preserve_access_index(&__p8->comm)); __v9; }); __u64 __idx6 = 1LL; __idx6 < 16 ? __obj7.s[__idx6] : (__s8)0; }))); bpf_ringbuf_submit(__ev10, 0); } else { bs_drop(); } });
  return 0;
}
