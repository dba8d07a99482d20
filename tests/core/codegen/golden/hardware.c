SEC("perf_event")
int bs_probe_0(void *ctx)
{
  {
    struct bs_str_16 __key0 = bs_current_comm();
    bs_agg_add(&map_, &__key0, 1);
  }
  return 0;
}
