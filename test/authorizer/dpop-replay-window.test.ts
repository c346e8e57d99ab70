/**
 * A proof's `jti` is remembered for as long as the proof is accepted, to the last millisecond,
 * against the shipped bundle. jose checks `iat` in whole seconds (the current time rounded down),
 * so a proof whose `iat` is exactly `proofMaxAgeSeconds + clockTolerance` old is still accepted
 * for up to one more second: a replay in that second must be refused like any other.
 */
import { DpopMode } from '../../src';
import { dpopConfigOf } from '../../src/authorizer/dpop-settings';
import { executeApiUrl } from '../support/api-gateway';
import { dpopProof, generateDpopKey } from '../support/dpop';
import { AuthorizerFixture } from '../support/fixture';

const ME = executeApiUrl('/me');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DPoP replay in the last second of a proof\'s window', () => {
  let fx: AuthorizerFixture;
  beforeAll(async () => {
    fx = await AuthorizerFixture.start({ dpop: dpopConfigOf(DpopMode.REQUIRED) });
  });
  afterAll(async () => fx?.stop());

  test('a proof exactly at the edge of its window: the first use 200, its replay 401 dpop_proof_replayed', async () => {
    const { proofMaxAgeSeconds } = fx.config.dpop!;
    const edge = proofMaxAgeSeconds + fx.config.clockToleranceSeconds;
    const client = generateDpopKey('ES256');
    const token = fx.minter.accessToken({ cnf: { jkt: client.jkt } });
    const send = (proof: string) => fx.call({ resource: '/me', authorization: `DPoP ${token}`, headers: { DPoP: proof } });
    // Early in a second, so both requests fall in the same one (each takes a few milliseconds).
    while (Date.now() % 1000 > 200) await sleep(20);
    const proof = dpopProof(client, { htm: 'GET', htu: ME, token, claims: { iat: Math.floor(Date.now() / 1000) - edge } });

    expect((await send(proof)).status).toBe(200);
    expect((await send(proof)).status).toBe(401);
    expect(fx.lastRefusal()).toMatchObject({ reason: 'dpop_proof_replayed' });
  });
});
