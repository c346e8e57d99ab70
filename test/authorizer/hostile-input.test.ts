/**
 * Hostile and broken input: requests without a usable token, events API Gateway would never
 * send, and what the logs may contain. The handler must answer every one of them with a 401
 * (exactly `Unauthorized`) or a policy, never anything API Gateway would turn into a 500.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { requestEvent, statusFor } from '../support/api-gateway';
import { AuthorizerFixture, isRefusal } from '../support/fixture';

jest.setTimeout(15_000);

let f: AuthorizerFixture;
beforeAll(async () => {
  f = await AuthorizerFixture.start();
});
afterAll(async () => {
  await f?.stop();
});
beforeEach(() => f.authorizer.clearOutput());

const colors = { method: 'GET', resource: '/colors' } as const;

test('a request without an Authorization header is refused (401, missing_token)', async () => {
  const { status } = await f.call(colors);
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'missing_token', route: 'GET /colors', status: 401 });
});

test('the header name is matched case-insensitively', async () => {
  const { status } = await f.call({ ...colors, headers: { authorization: `Bearer ${f.minter.accessToken({ scope: 'read:colors' })}` } });
  expect(status).toBe(200);
});

test('the Bearer scheme is matched case-insensitively', async () => {
  const { status } = await f.call({ ...colors, authorization: `bEARER ${f.minter.accessToken({ scope: 'read:colors' })}` });
  expect(status).toBe(200);
});

test.each([
  ['another scheme', (t: string) => `Basic ${t}`, 'malformed_token'],
  ['no scheme', (t: string) => t, 'malformed_token'],
  ['the scheme alone', () => 'Bearer', 'malformed_token'],
  ['an empty value', () => '', 'missing_token'],
  ['two tokens', (t: string) => `Bearer ${t} ${t}`, 'malformed_token'],
  ['a comma-joined pair', (t: string) => `Bearer ${t}, Bearer ${t}`, 'malformed_token'],
  ['four segments', (t: string) => `Bearer ${t}.AAAA`, 'malformed_token'],
  ['two segments', (t: string) => `Bearer ${t.split('.').slice(0, 2).join('.')}`, 'malformed_token'],
  ['padding in a segment', (t: string) => `Bearer ${t}==`, 'malformed_token'],
  ['a non-base64url character', (t: string) => `Bearer ${t.replace('.', '.+')}`, 'malformed_token'],
  ['a header segment that is not JSON', (t: string) => `Bearer AAAA.${t.split('.').slice(1).join('.')}`, 'malformed_token'],
  ['a header segment that is a JSON array', (t: string) => `Bearer ${Buffer.from('[1]').toString('base64url')}.${t.split('.').slice(1).join('.')}`, 'malformed_token'],
  // A payload swapped after signing fails the signature before it is ever parsed (a signed
  // non-JSON payload is in hostile-tokens.test.ts).
  ['a payload swapped after signing', (t: string) => `Bearer ${t.split('.')[0]}.AAAA.${t.split('.')[2]}`, 'bad_signature'],
])('a malformed Authorization header is refused (401): %s', async (_name, make, reason) => {
  const { status, outcome } = await f.call({ ...colors, authorization: make(f.minter.accessToken({ scope: 'read:colors' })) });
  expect(status).toBe(401);
  expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
  expect(f.lastRefusal()).toMatchObject({ reason, status: 401 });
});

test('an over-long Authorization header is refused by the size cap before any parsing (401)', async () => {
  const [header, , signature] = f.minter.accessToken({ scope: 'read:colors' }).split('.');
  const { status } = await f.call({ ...colors, authorization: `Bearer ${header}.${'A'.repeat(20_000)}.${signature}` });
  expect(status).toBe(401);
  expect(f.lastRefusal()).toMatchObject({ reason: 'malformed_token', detail: expect.stringContaining('longer than 16384') });
});

test('two Authorization headers are refused (401), even when both hold valid tokens', async () => {
  const token = f.minter.accessToken({ scope: 'read:colors' });
  const { status } = await f.call({ ...colors, headers: { Authorization: [`Bearer ${token}`, `Bearer ${token}`] } });
  expect(status).toBe(401);
});

test('Authorization under two spellings of its name is refused (401)', async () => {
  const token = f.minter.accessToken({ scope: 'read:colors' });
  const { status } = await f.call({ ...colors, headers: { Authorization: `Bearer ${token}`, authorization: `Bearer ${token}` } });
  expect(status).toBe(401);
});

/** Events API Gateway would not send, each derived from a valid one. */
const brokenEvents: [string, (e: APIGatewayRequestAuthorizerEvent) => unknown][] = [
  ['null headers', (e) => ({ ...e, headers: null, multiValueHeaders: null })],
  ['a header value that is a number', (e) => ({ ...e, headers: { Authorization: 42 }, multiValueHeaders: null })],
  ['a header list holding an object', (e) => ({ ...e, multiValueHeaders: { Authorization: [{}] } })],
  ['no methodArn', (e) => ({ ...e, methodArn: undefined })],
  ['a methodArn that is not an ARN', (e) => ({ ...e, methodArn: 'nonsense' })],
  ['an empty object', () => ({})],
  ['null', () => null],
  ['a string', () => 'event'],
];

test.each(brokenEvents)('an event with %s is refused with exactly Unauthorized', async (_name, mutate) => {
  const event = mutate(requestEvent({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) }));
  const outcome = await f.authorizer.invoke(event as APIGatewayRequestAuthorizerEvent);
  expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
});

test('an event without httpMethod or resource is denied (403), its route being unknown', async () => {
  const event = requestEvent({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) });
  const broken = { ...event, httpMethod: undefined, resource: undefined } as unknown as APIGatewayRequestAuthorizerEvent;
  expect(statusFor(await f.authorizer.invoke(broken), event.methodArn)).toBe(403);
  expect(f.lastRefusal()).toMatchObject({ level: 'ERROR', reason: 'unknown_route' });
});

test('the handler never rejects with anything but Unauthorized, across every kind of refusal', async () => {
  const token = f.minter.accessToken({ scope: 'read:colors' });
  const [h, p, s] = token.split('.');
  const variants = [
    undefined, '', 'Bearer', `Bearer ${token}`, `Bearer ${h}.${p}.`, `Bearer ${h}..${s}`, `Bearer .${p}.${s}`,
    `Bearer ${s}.${p}.${h}`, `Bearer ${p}.${h}.${s}`, `Bearer ${'A'.repeat(16_385)}`, 'Bearer a.b.c', 'Bearer \u0000.\u0000.\u0000',
    `Bearer ${Buffer.from('{"alg":"RS256","kid":{}}').toString('base64url')}.${p}.${s}`,
    `Bearer ${Buffer.from('{"alg":["RS256"],"kid":"x"}').toString('base64url')}.${p}.${s}`,
    `Bearer ${Buffer.from('{"alg":"RS256","kid":"x","crit":["exp"]}').toString('base64url')}.${p}.${s}`,
    `Bearer ${Buffer.from('{"alg":"RS256","kid":"x","b64":false,"crit":["b64"]}').toString('base64url')}.${p}.${s}`,
  ];
  for (const authorization of variants) {
    for (const resource of ['/colors', '/unknown', '/admin/{proxy+}']) {
      const { outcome, status } = await f.call({ method: 'GET', resource, authorization });
      if ('error' in outcome) expect(outcome).toEqual({ error: 'Unauthorized', errorType: 'Error' });
      expect([200, 401, 403]).toContain(status);
    }
  }
});

test('a refusal logs one JSON line with reason, route and sub, and no token anywhere in the output', async () => {
  const token = f.minter.accessToken({ sub: 'auth0|carol', scope: 'read:colors', aud: 'https://other.example.com' });
  await f.call({ method: 'GET', resource: '/items/{id}', token });
  const refusals = f.authorizer.logLines().filter(isRefusal);
  expect(refusals).toEqual([expect.objectContaining({ reason: 'wrong_audience', route: 'GET /items/{id}', sub: 'auth0|carol', status: 401 })]);
  const [header, payload, signature] = token.split('.');
  for (const secret of [token, header, payload, signature]) expect(f.authorizer.output).not.toContain(secret);
});

test('no token or token part appears in the output of any refusal, allowed call or error', async () => {
  const tokens = [
    f.minter.accessToken({ scope: 'read:colors' }),
    f.minter.accessToken({ scope: 'nothing' }),
    f.minter.accessToken({ scope: 'read:colors', exp: 1 }),
    f.minter.accessToken({ scope: ['wrong'] }),
    f.minter.accessToken({ scope: 'read:colors' }, { header: { kid: 'unknown' } }),
  ];
  for (const token of tokens) {
    await f.call({ ...colors, token });
    await f.call({ ...colors, authorization: `Basic ${token}` });
    await f.call({ ...colors, authorization: `Bearer ${token}.extra` });
  }
  for (const token of tokens) {
    for (const part of [token, ...token.split('.')]) expect(f.authorizer.output).not.toContain(part);
  }
  expect(f.authorizer.output).not.toMatch(/(Bearer|Basic) ey/i);
});
