// C helpers of stdlib/net.bt. Addresses become text in the kernel, so ntop()
// and macaddr() give plain strings: printf's %s, map keys and values, and
// -f json print them with no user-space help.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define AF_INET 2
#define AF_INET6 10

/** INET6_ADDRSTRLEN (46) rounded up: the longest text is 45 characters. */
struct bs_inet_text {
  char s[48];
};

/** "XX:XX:XX:XX:XX:XX" and its NUL. */
struct bs_mac_text {
  char s[18];
};

struct sock;

/** Text being written: at most 63 characters and a NUL. */
struct text {
  char s[64];
  unsigned int n;
};

/*
 * The text is written in a per-CPU map value, not on the stack: the verifier
 * does not track the length kept there, so the paths through the digits of
 * each group (1 to 4 of them) meet again instead of multiplying.
 */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct text);
} bs_net_text SEC(".maps");

static __always_inline char hex_digit(unsigned int v, char ten) {
  return v < 10 ? '0' + v : ten + v - 10;
}

static __always_inline void put(struct text *t, char c) {
  // Read from the map each time (volatile): a length kept in a register would
  // be tracked, and its bounds check lost to the compiler's rewriting.
  __u64 n = *(volatile unsigned int *)&t->n;
  if (n < sizeof(t->s) - 1) t->s[n] = c;
  t->n = n + 1;
}

/** Decimal of one byte. */
static __always_inline void put_byte(struct text *t, unsigned char v) {
  if (v >= 100) put(t, '0' + v / 100);
  if (v >= 10) put(t, '0' + v / 10 % 10);
  put(t, '0' + v % 10);
}

static __always_inline void put_ipv4(struct text *t, const unsigned char *b) {
  for (int i = 0; i < 4; i++) {
    if (i) put(t, '.');
    put_byte(t, b[i]);
  }
}

/** Hex of a 16-bit group without leading zeros. */
static __always_inline void put_group(struct text *t, unsigned int w) {
  int started = 0;
  for (int shift = 12; shift >= 0; shift -= 4) {
    unsigned int d = (w >> shift) & 0xf;
    if (d || started || shift == 0) {
      put(t, hex_digit(d, 'a'));
      started = 1;
    }
  }
}

/**
 * IPv6 as inet_ntop(3) writes it (RFC 5952): the longest run of two or more
 * zero groups (the first of equal runs) becomes "::", and an IPv4-mapped or
 * IPv4-compatible address ends in dotted decimal.
 */
static __always_inline void put_ipv6(struct text *t, const unsigned char *b) {
  unsigned int words[8];
  int best = -1, best_len = 0, cur = -1, cur_len = 0;
  for (int i = 0; i < 8; i++) {
    words[i] = (b[2 * i] << 8) | b[2 * i + 1];
    if (words[i] == 0) {
      if (cur < 0) cur = i, cur_len = 0;
      cur_len++;
      if (cur_len > best_len) best = cur, best_len = cur_len;
    } else {
      cur = -1;
    }
  }
  if (best_len < 2) best = -1;
  for (int i = 0; i < 8; i++) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) put(t, ':');
      continue;
    }
    if (i) put(t, ':');
    if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
      put_ipv4(t, b + 12);
      return;
    }
    put_group(t, words[i]);
  }
  if (best >= 0 && best + best_len == 8) put(t, ':');
}

/**
 * The text of the address of family `af` (AF_INET or AF_INET6) in the `len`
 * bytes at `addr` (missing bytes read as zero); empty for another family.
 */
int __bs_ntop(struct bs_inet_text *out, long long af, const unsigned char *addr, unsigned int len) {
  unsigned char b[16] = {};
  __u32 zero = 0;
  struct text *t = bpf_map_lookup_elem(&bs_net_text, &zero);
  if (!t) return -1;
  __builtin_memset(t, 0, sizeof(*t));
  if (len > sizeof(b)) len = sizeof(b);
  if (bpf_probe_read_kernel(b, len, addr) < 0) return -1;
  if (af == AF_INET) put_ipv4(t, b);
  else if (af == AF_INET6) put_ipv6(t, b);
  // The longest address text is 45 characters: it always fits, with its NUL.
  __builtin_memcpy(out->s, t->s, sizeof(out->s));
  out->s[sizeof(out->s) - 1] = 0;
  return 0;
}

/** The 6 bytes at `mac` (kernel memory, or user memory when that fails) as "05:04:03:02:01:02". */
int __bs_macaddr(struct bs_mac_text *out, const unsigned char *mac) {
  unsigned char b[6] = {};
  if (bpf_probe_read_kernel(b, sizeof(b), mac) < 0 && bpf_probe_read_user(b, sizeof(b), mac) < 0) return -1;
  for (int i = 0; i < 6; i++) {
    out->s[i * 3] = hex_digit(b[i] >> 4, 'A');
    out->s[i * 3 + 1] = hex_digit(b[i] & 0xf, 'A');
    out->s[i * 3 + 2] = i == 5 ? 0 : ':';
  }
  return 0;
}

/** The socket's cookie (made on first use, then stable); 0 for NULL. */
unsigned long long __bs_socket_cookie(struct sock *sk) {
  return bpf_get_socket_cookie(sk);
}
