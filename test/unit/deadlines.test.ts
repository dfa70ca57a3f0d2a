import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Deadlines } from '../../runtime/dispatch.js';

describe('Deadlines (channel timeouts)', () => {
  it('expires each deadline once, after its time, unless cancelled first; cancel tells which happened', async () => {
    const deadlines = new Deadlines(20); // ticks every 1 ms
    const expired: string[] = [];
    const t0 = performance.now();
    const at: Record<string, number> = {};
    const mark = (name: string) => () => {
      expired.push(name);
      at[name] = performance.now() - t0;
    };
    // Two timeouts, interleaved; in each queue one deadline is cancelled at the head, in the middle, at the tail.
    const a1 = deadlines.set(40, mark('a1'));
    const b1 = deadlines.set(20, mark('b1'));
    const a2 = deadlines.set(40, mark('a2'));
    const b2 = deadlines.set(20, mark('b2'));
    const a3 = deadlines.set(40, mark('a3'));
    const b3 = deadlines.set(20, mark('b3'));
    const a4 = deadlines.set(40, mark('a4'));
    assert.equal(deadlines.cancel(a2), true); // middle
    assert.equal(deadlines.cancel(b1), true); // head
    assert.equal(deadlines.cancel(a4), true); // tail
    assert.equal(deadlines.cancel(a4), false, 'a second cancel finds it out already');
    await sleep(80);
    assert.deepEqual([...expired].sort(), ['a1', 'a3', 'b2', 'b3']);
    for (const name of ['b2', 'b3']) assert.ok(at[name]! >= 20, `${name} expired at ${at[name]} ms, before its 20 ms`);
    for (const name of ['a1', 'a3']) assert.ok(at[name]! >= 40, `${name} expired at ${at[name]} ms, before its 40 ms`);
    assert.ok(expired.indexOf('b2') < expired.indexOf('b3') && expired.indexOf('a1') < expired.indexOf('a3'), 'a queue expires in order');
    for (const d of [a1, a3, b2, b3]) assert.equal(deadlines.cancel(d), false, 'cancel after expiry says the deadline answered');
  });

  it('keeps working after a queue empties, and stops its timer when nothing is in flight', async () => {
    const deadlines = new Deadlines(20);
    const expired: number[] = [];
    const first = deadlines.set(10, () => expired.push(1));
    assert.equal(deadlines.cancel(first), true);
    const second = deadlines.set(10, () => expired.push(2));
    await sleep(40);
    assert.deepEqual(expired, [2]);
    assert.equal(deadlines.cancel(second), false);
    // The interval is cleared once empty: an active handle would keep this test's process alive (the runner would
    // hang), and getActiveResourcesInfo shows it.
    await sleep(10);
    assert.ok(!process.getActiveResourcesInfo().includes('Timeout'), `timers left: ${process.getActiveResourcesInfo().join(', ')}`);
  });

  it('expires many in-flight deadlines of mixed timeouts, each exactly once', async () => {
    const deadlines = new Deadlines(5);
    const counts = new Map<number, number>();
    const kept = new Set<number>();
    const handles = [];
    for (let i = 0; i < 1000; i++) {
      handles.push(deadlines.set(5 + (i % 3) * 5, () => counts.set(i, (counts.get(i) ?? 0) + 1)));
    }
    for (let i = 0; i < 1000; i += 7) {
      assert.equal(deadlines.cancel(handles[i]!), true);
      kept.add(i);
    }
    await sleep(60);
    for (let i = 0; i < 1000; i++) assert.equal(counts.get(i), kept.has(i) ? undefined : 1, `deadline ${i}`);
  });
});
