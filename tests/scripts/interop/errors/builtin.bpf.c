long nsecs(void)
{
  return 0;
}
