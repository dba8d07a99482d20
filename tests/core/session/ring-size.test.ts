// The event ring's size for a run: small for programs that send only exit(),
// the configured size for any other, and unchanged where the runtime cannot size maps.
import test from 'ava';
import { EXIT_ONLY_RING_SIZE, eventRingSize } from '../../../core/session/load.ts';
import type { Manifest, RuntimeObject } from '../../../sdk/index.ts';

function manifest(kinds: string[], size = 1 << 24): Manifest {
  const action = (kind: string, id: number) => {
    const [k, helper] = kind.split(':');
    return helper ? { kind: k, helper, id } : { kind, id };
  };
  return { ringbuf: { cName: 'bs_events', size }, actions: kinds.map(action) } as unknown as Manifest;
}

function sizingObject(): { obj: RuntimeObject; calls: [string, number][] } {
  const calls: [string, number][] = [];
  const obj = { setMapMaxEntries: (name: string, n: number) => calls.push([name, n]) } as unknown as RuntimeObject;
  return { obj, calls };
}

test('a program whose only records are exit() gets a small ring', (t) => {
  const { obj, calls } = sizingObject();
  t.is(eventRingSize(manifest(['exit', 'exit']), obj), EXIT_ONLY_RING_SIZE);
  t.deepEqual(calls, [['bs_events', EXIT_ONLY_RING_SIZE]]);
  const none = sizingObject();
  t.is(eventRingSize(manifest([]), none.obj), EXIT_ONLY_RING_SIZE, 'a program that sends nothing at all too');
  const mapFull = sizingObject();
  t.is(eventRingSize(manifest(['exit', 'helper_error:map_update_elem']), mapFull.obj), EXIT_ONLY_RING_SIZE, 'nor a full map\'s warnings');
});

test('any other record keeps the configured size; a configured size below the small one is kept', (t) => {
  const { obj, calls } = sizingObject();
  t.is(eventRingSize(manifest(['exit', 'printf']), obj), 1 << 24);
  t.is(eventRingSize(manifest(['exit', 'helper_error:probe_read_user']), obj), 1 << 24, '-k helper errors are not rare');
  t.is(eventRingSize(manifest(['exit'], 4096), obj), 4096);
  t.deepEqual(calls, []);
});

test('a runtime that cannot size maps keeps the size of the manifest', (t) => {
  t.is(eventRingSize(manifest(['exit']), {} as RuntimeObject), 1 << 24);
});
