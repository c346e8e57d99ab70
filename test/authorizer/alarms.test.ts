/**
 * The alarms mean what they say, checked end to end: the shipped bundle runs under the Lambda
 * runtime's own loop and JSON log formatting (aws-lambda-ric, see authorizer-host.mjs), and the
 * metric filter patterns synthesized by `addAlarms()` are evaluated against the lines it writes.
 * Strangers sending garbage count nothing; an unreachable issuer or a broken configuration counts.
 */
import { randomBytes } from 'crypto';
import { integration, synthesize } from '../construct/synth';
import { requestEvent, statusFor, type RequestOptions } from '../support/api-gateway';
import { TEST_AUDIENCE, testConfig } from '../support/authorizer-config';
import { AUTHORIZER_FUNCTION_NAME, AuthorizerProcess } from '../support/authorizer-process';
import { dimensionValue, JsonFilterPattern } from '../support/filter-pattern';
import { AuthorizerFixture } from '../support/fixture';
import { JwksServer } from '../support/jwks-server';
import { base64url, generateSigningKey, jwksOf, nowSeconds, signJwt, TokenMinter } from '../support/tokens';

jest.setTimeout(60_000);

interface SynthesizedFilter {
  readonly pattern: JsonFilterPattern;
  /** Dimension name → the field of the log line its value comes from. */
  readonly dimensions: Record<string, string>;
}

/** Metric name → the filter pattern and dimensions the synthesized template gives its metric filter. */
function synthesizedFilters(): Record<string, SynthesizedFilter> {
  const { template } = synthesize({}, (api) => {
    api.addRoute('GET /things', integration());
    api.addAlarms();
  });
  // The runtime formats logs as JSON only with this setting, which the construct sets.
  template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', LoggingConfig: { LogFormat: 'JSON' } });
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((r) => r.Properties);
  return Object.fromEntries(filters.map((p) => [p.MetricTransformations[0].MetricName as string, {
    pattern: new JsonFilterPattern(p.FilterPattern),
    dimensions: Object.fromEntries(((p.MetricTransformations[0].Dimensions ?? []) as { Key: string; Value: string }[]).map((d) => [d.Key, d.Value])),
  }]));
}

const filters = synthesizedFilters();
const lines = (authorizer: AuthorizerProcess) => authorizer.output.split('\n');
const count = (metric: string, authorizer: AuthorizerProcess) => filters[metric].pattern.count(lines(authorizer));

/**
 * The dimension values the metric filters publish for the lines `authorizer` wrote, per metric:
 * each must name the function (AWS_LAMBDA_FUNCTION_NAME, as Lambda sets it), so that the alarms of
 * two authorizers in one account and region never count each other's lines.
 */
function publishedDimensions(authorizer: AuthorizerProcess): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(filters).map(([metric, filter]) => {
    const matched = lines(authorizer).filter((line) => filter.pattern.matches(line));
    return [metric, [...new Set(matched.map((line) => JSON.stringify(Object.entries(filter.dimensions)
      .map(([name, field]) => [name, dimensionValue(line, field)]))))]];
  }));
}
const colors = { method: 'GET', resource: '/colors' } as const;

test('the template has the three authorizer metric filters', () => {
  expect(Object.keys(filters).sort()).toEqual(['AuthorizerErrors', 'AuthorizerForbidden', 'AuthorizerUnauthorized']);
});

describe('strangers sending garbage', () => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    f = await AuthorizerFixture.start({}, { throughRuntime: true });
  });
  afterAll(async () => {
    await f?.stop();
  });

  const strangers = Array.from({ length: 3 }, (_, i) => generateSigningKey('RS256', `stranger-${i}`));

  /** Ten kinds of bad credentials, none of them the issuer's fault. */
  function garbage(i: number): RequestOptions {
    const stranger = strangers[i % strangers.length];
    const claims = f.minter.claims({ scope: 'read:colors' });
    switch (i % 10) {
      case 0: return { ...colors };
      case 1: return { ...colors, token: `${randomBytes(12).toString('base64url')}.${randomBytes(40).toString('base64url')}.${randomBytes(64).toString('base64url')}` };
      case 2: return { ...colors, authorization: `Basic ${randomBytes(16).toString('base64')}` };
      case 3: return { ...colors, token: f.minter.accessToken({ scope: 'read:colors' }, { key: stranger }) };
      case 4: return { ...colors, token: signJwt({ alg: 'RS256', kid: f.minter.key.kid }, claims, stranger.privateKey) };
      case 5: return { ...colors, token: signJwt({ alg: 'none', kid: f.minter.key.kid }, claims) };
      case 6: return { ...colors, token: signJwt({ alg: 'HS256', kid: f.minter.key.kid }, claims, Buffer.from(JSON.stringify(f.minter.key.jwk))) };
      case 7: return { ...colors, token: f.minter.accessToken({ scope: 'read:colors', exp: nowSeconds() - 600 }) };
      case 8: return { ...colors, token: f.minter.accessToken({ scope: 'read:colors', aud: 'https://other.example.com' }) };
      default: return { ...colors, token: `${base64url(JSON.stringify({ alg: 'RS256', kid: f.minter.key.kid, jwk: stranger.jwk }))}.${base64url(JSON.stringify(claims))}.${randomBytes(256).toString('base64url')}` };
    }
  }

  test('1,000 garbage tokens count 0 authorizer errors and 1,000 refusals with 401; the runtime\'s own ERROR lines are not counted', async () => {
    f.authorizer.clearOutput();
    const sent: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const request = garbage(i);
      sent.push(...[request.token, request.authorization].filter((t): t is string => t !== undefined));
      const { status } = await f.call(request);
      expect(status).toBe(401);
    }
    for (let i = 0; i < 20; i++) {
      expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:items' }) })).status).toBe(403);
    }
    expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);

    expect(count('AuthorizerErrors', f.authorizer)).toBe(0);
    expect(count('AuthorizerUnauthorized', f.authorizer)).toBe(1_000);
    expect(count('AuthorizerForbidden', f.authorizer)).toBe(20);
    // Every counted line publishes this function's name as its dimension.
    const own = JSON.stringify([['FunctionName', AUTHORIZER_FUNCTION_NAME]]);
    expect(publishedDimensions(f.authorizer)).toEqual({ AuthorizerErrors: [], AuthorizerUnauthorized: [own], AuthorizerForbidden: [own] });
    // The runtime really wrote its ERROR line for each rejected invocation: a filter on the level
    // (as before) would have fired on these strangers 1,000 times.
    const invokeErrors = f.authorizer.logRecords().filter((r) => r.level === 'ERROR' && (r.message as { errorMessage?: string })?.errorMessage === 'Unauthorized');
    expect(invokeErrors).toHaveLength(1_000);
    expect(new JsonFilterPattern('{ $.level = "ERROR" }').count(lines(f.authorizer))).toBeGreaterThanOrEqual(1_000);
    // Each refusal is an object under `message`, with its reason, at WARN.
    const refusals = f.authorizer.logRecords().filter((r) => (r.message as { event?: string })?.event === 'request refused');
    expect(refusals).toHaveLength(1_020);
    expect(new Set(refusals.map((r) => r.level))).toEqual(new Set(['WARN']));
    // Not even the runtime's own lines (stack traces included) carry any part of a token.
    const output = f.authorizer.output;
    for (const part of sent.flatMap((t) => [t, ...t.split(/[. ]/)]).filter((p) => p.length >= 16)) expect(output).not.toContain(part);
  });
});

describe('failures that are not the caller\'s fault', () => {
  const key = generateSigningKey();

  test('an unreachable JWKS at cold start counts (the failed fetch and each refusal), and the 401s count as refusals', async () => {
    const closed = await JwksServer.start(jwksOf(key));
    const config = testConfig(closed);
    await closed.close();
    const authorizer = await AuthorizerProcess.start(config, { throughRuntime: true });
    try {
      const minter = new TokenMinter(config.issuer, TEST_AUDIENCE, key);
      for (let i = 0; i < 3; i++) {
        const event = requestEvent({ ...colors, token: minter.accessToken({ scope: 'read:colors' }) });
        expect(statusFor(await authorizer.invoke(event), event.methodArn)).toBe(401);
      }
      // One failed fetch (cold start; the cooldown holds back the next) and three refusals.
      expect(count('AuthorizerErrors', authorizer)).toBe(4);
      expect(count('AuthorizerUnauthorized', authorizer)).toBe(3);
      const own = JSON.stringify([['FunctionName', AUTHORIZER_FUNCTION_NAME]]);
      expect(publishedDimensions(authorizer)).toEqual({ AuthorizerErrors: [own], AuthorizerUnauthorized: [own], AuthorizerForbidden: [] });
    } finally {
      await authorizer.stop();
    }
  });

  test('an issuer that goes down while its keys are in use counts each failed fetch, while valid tokens pass', async () => {
    const f = await AuthorizerFixture.start({ jwksCacheMaxAgeMs: 200, jwksCooldownMs: 100 }, { throughRuntime: true });
    try {
      f.jwks.status = 503;
      f.authorizer.clearOutput();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await f.call({ ...colors, token: f.minter.accessToken({ scope: 'read:colors' }) })).status).toBe(200);
      expect(count('AuthorizerErrors', f.authorizer)).toBe(1);
      expect(count('AuthorizerUnauthorized', f.authorizer)).toBe(0);
    } finally {
      await f.stop();
    }
  });

  test('a configuration that cannot be read counts', async () => {
    const authorizer = await AuthorizerProcess.startWithRawConfig('{ not json', { throughRuntime: true });
    try {
      const minter = new TokenMinter('https://issuer.example.com/', TEST_AUDIENCE, key);
      await authorizer.invoke(requestEvent({ ...colors, token: minter.accessToken({}) }));
      // The cold-start line and the refusal, both with this function's name.
      expect(count('AuthorizerErrors', authorizer)).toBe(2);
      expect(publishedDimensions(authorizer).AuthorizerErrors).toEqual([JSON.stringify([['FunctionName', AUTHORIZER_FUNCTION_NAME]])]);
    } finally {
      await authorizer.stop();
    }
  });
});
