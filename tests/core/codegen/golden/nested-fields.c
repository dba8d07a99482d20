SEC("raw_tp/sched_switch")
int bs_probe_0(void *ctx)
{
  __u64 v_css = 0;
  v_css = ((__u64)(({ struct task_struct *__p0 = ((struct task_struct *)(((*(struct bs_rawtp__sched_switch *)ctx)).next)); __u64 __v1; __builtin_memset(&__v1, 0, sizeof(__v1)); if (__p0) bpf_probe_read_kernel(&__v1, sizeof(__v1), __builtin_preserve_access_index(&__p0->cgroups)); __v1; })));
  {
    struct bs_tuple_0 __key2 = {};
    __key2 = (struct bs_tuple_0){ .f0 = ((__s64)(({ struct task_struct *__p3 = ((struct task_struct *)(((*(struct bs_rawtp__sched_switch *)ctx)).next)); __s32 __v4; __builtin_memset(&__v4, 0, sizeof(__v4)); if (__p3) bpf_probe_read_kernel(&__v4, sizeof(__v4), __builtin_preserve_access_index(&__p3->pid)); __v4; }))), .f1 = ({ struct kernfs_node *__p9 = ((struct kernfs_node *)(({ struct cgroup *__p7 = ((struct cgroup *)(({ struct css_set *__p5 = ((struct css_set *)(v_css)); __u64 __v6; __builtin_memset(&__v6, 0, sizeof(__v6)); if (__p5) bpf_probe_read_kernel(&__v6, sizeof(__v6), __builtin_preserve_access_index(&__p5->dfl_cgrp)); __v6; }))); __u64 __v8; __builtin_memset(&__v8, 0, sizeof(__v8)); if (__p7) bpf_probe_read_kernel(&__v8, sizeof(__v8), __builtin_preserve_access_index(&__p7->kn)); __v8; }))); __u64 __v10; __builtin_memset(&__v10, 0, sizeof(__v10)); if (__p9) bpf_probe_read_kernel(&__v10, sizeof(__v10), __builtin_preserve_access_index(&__p9->id)); __v10; }), .f2 = ((__u64)(({ struct task_struct *__p11 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); __u8 __v12; __builtin_memset(&__v12, 0, sizeof(__v12)); if (__p11) bpf_probe_read_kernel(&__v12, sizeof(__v12), __builtin_preserve_access_index(&__p11->se.on_rq)); __v12; }))) };
    ({ long __ur13 = bs_agg_add(&map_, &__key2, 1); if (__ur13 < 0) bs_update_failed(0, __ur13); });
  }
  return 0;
}
