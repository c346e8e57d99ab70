/**
 * A backend the command runs must not find the developer's AWS credentials by accident: not in
 * ~/.aws (its home is an empty folder of its own), not through the shared credentials or config
 * file, not from the EC2 instance metadata service. What the function's environment sets wins.
 */
import { existsSync } from 'fs';
import { homedir, userInfo } from 'os';
import { FunctionRunner, type RunnableFunction } from '../../local/lambda/function-runner';

const PROBE = `const os = require('os'), fs = require('fs');
exports.handler = async () => ({
  home: os.homedir(), homeEntries: fs.readdirSync(os.homedir()),
  env: Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(HOME|AWS_)/.test(k))),
});`;

function probe(environment: Record<string, string>): RunnableFunction {
  return { logicalId: 'Probe', handler: 'index.handler', runtime: 'nodejs22.x', environment, unresolvedEnvironment: [], timeoutSeconds: 3, logFormat: 'Text', inlineCode: PROBE };
}

interface Seen { home: string; homeEntries: string[]; env: Record<string, string> }

let functions: FunctionRunner;
beforeEach(() => { functions = new FunctionRunner(); });
afterEach(async () => functions.stop());

async function run(environment: Record<string, string>): Promise<Seen> {
  const outcome = await functions.invoke(probe(environment), {});
  if (!('ok' in outcome)) throw new Error(outcome.error);
  return outcome.ok as Seen;
}

test('a backend\'s home is an empty folder, not the developer\'s, and the AWS SDK is pointed at no credentials', async () => {
  const seen = await run({});
  expect(seen.home).not.toBe(homedir());
  expect(seen.home).not.toBe(userInfo().homedir);
  expect(seen.homeEntries).toEqual([]);
  expect(seen.env).toMatchObject({
    HOME: seen.home,
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  expect(Object.keys(seen.env).filter((k) => /KEY|TOKEN|PROFILE/.test(k))).toEqual([]);
});

test('the home folder is removed when the runner stops', async () => {
  const seen = await run({});
  await functions.stop();
  expect(existsSync(seen.home)).toBe(false);
});

test('what the template\'s function environment sets wins', async () => {
  const seen = await run({ AWS_CONFIG_FILE: '/opt/config', AWS_EC2_METADATA_DISABLED: 'false' });
  expect(seen.env).toMatchObject({ AWS_CONFIG_FILE: '/opt/config', AWS_EC2_METADATA_DISABLED: 'false', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
});
