// User names as bpftrace's `username` finds them in /etc/passwd.
import test from 'ava';
import { userName } from '../../../lib/host/index.ts';

const passwd = 'root:x:0:0:root:/root:/bin/bash\n# a comment\nbroken line\nalice:x:1000:1000::/home/alice:/bin/sh\n';

test('the name of a uid, or an empty string when the file has none', (t) => {
  t.is(userName(passwd, 0), 'root');
  t.is(userName(passwd, 1000n), 'alice');
  t.is(userName(passwd, 1001), '');
});
