SEC("perf_event")
int bs_probe_0(void *ctx)
{
  {
    struct bs_str_16 __key0 = bs_current_comm();
    ({ long __ur1 = bs_agg_add(&map_, &__key0, 1); if (__ur1 < 0) bs_update_failed(0, __ur1); });
  }
  return 0;
}
