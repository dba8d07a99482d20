SEC("perf_event")
int bs_probe_0(void *ctx)
{
  {
    struct bs_str_16 __key0 = ({ struct bs_str_16 __comm; bpf_get_current_comm(__comm.s, sizeof(__comm.s)); __comm; });
    ({ long __ur1 = bs_agg_add(&map_, &__key0, 1); if (__ur1 < 0) ({ struct bs_event_0 *__ev2 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev2) { __ev2->id = 0; __ev2->f0 = __ur1; bpf_ringbuf_submit(__ev2, 0); } else { bs_drop(); } }); });
  }
  return 0;
}
