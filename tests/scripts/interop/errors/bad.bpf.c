int __broken(int x)
{
  return x + y;
}
