// Issue 6, item 6 (load): the CI-sized soak — `gen serve` on the REAL customers sample, 200 connections, a seeded mix
// of valid, invalid, unauthorised, not-allowlisted and wrong-method requests. `npm run soak` runs the 60 s version.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSoak, formatSoak, runSoak } from '../../soak/soak.js';

describe('soak (CI size)', () => {
  it('10 s at 200 connections: no transport error, no unexpected status, RSS growth within 10%, exit 0', async (t) => {
    // The warm-up lets V8 size its heap first: growth during it is start-up, not a leak (docs/hardening.md).
    const result = await runSoak({ durationS: 10, warmupS: 10, connections: 200, seed: 6 });
    t.diagnostic(formatSoak(result));
    assert.deepEqual(checkSoak(result), []);
    for (const [kind, tally] of Object.entries(result.byKind)) assert.ok(tally.sent > 0, `${kind} was sent`);
  });
});
