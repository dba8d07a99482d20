// User names from /etc/passwd, as bpftrace's `username` resolves them (no
// NSS: users only a directory service knows have no name here).

/** The name of user `uid` in a passwd file's text, or '' when it has none. */
export function userName(passwd: string, uid: bigint | number): string {
  const id = String(uid);
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 3 && fields[2] === id) return fields[0]!;
  }
  return '';
}
