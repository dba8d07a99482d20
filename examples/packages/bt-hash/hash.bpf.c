// The C unit of bt-hash: compiled by bpfscript with clang when a script calls
// fnv1a(), and linked with the script's program. Its functions are called as
// builtins by their names; hash.bt wraps them in macros that pass the size.

#define FNV1A64_OFFSET 0xcbf29ce484222325ULL
#define FNV1A64_PRIME 0x100000001b3ULL
// A bound the verifier can see, whatever size the caller's string has.
#define MAX_BYTES 256

// FNV-1a over the bytes of `s` up to its first NUL, at most `size` of them.
unsigned long long __bt_hash_fnv1a64(const char *s, int size)
{
  unsigned long long hash = FNV1A64_OFFSET;
  for (int i = 0; i < MAX_BYTES; i++) {
    if (i >= size || s[i] == 0)
      break;
    hash ^= (unsigned char)s[i];
    hash *= FNV1A64_PRIME;
  }
  return hash;
}
