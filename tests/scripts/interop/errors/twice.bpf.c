int __strstr(const char *h, int hlen, const char *n, int nlen)
{
  return 0;
}
