/**
 * The example's Lambda proxy backend answers the browser itself, so it must send the CORS headers
 * API Gateway adds only to its own responses. Its inline code is taken from the synthesized template
 * and run as Lambda runs `index.js`.
 */
import { runInNewContext } from 'vm';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExampleStack } from '../../examples/typescript/example-stack';

type Handler = (event: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

const APP = 'https://app.example.com';
const ADMIN = 'http://127.0.0.1:5173';

function backendOf(allowOrigins?: string[]): Handler {
  const stack = new ExampleStack(new App(), 'Example', { allowOrigins });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const codes = Object.values(functions).map((f) => f.Properties.Code.ZipFile).filter((code) => typeof code === 'string');
  expect(codes).toHaveLength(1);
  const module = { exports: {} as { handler?: Handler } };
  runInNewContext(codes[0], { exports: module.exports, module });
  return module.exports.handler!;
}

const event = (headers: Record<string, string> | null) => ({
  httpMethod: 'GET', resource: '/colors', headers, requestContext: { authorizer: { principalId: 'user' } },
});

describe('example backend CORS headers', () => {
  test('echoes an allowed Origin, whatever the header name case, with Vary: Origin', async () => {
    const handler = backendOf([APP, ADMIN]);
    for (const [name, origin] of [['Origin', APP], ['origin', ADMIN], ['ORIGIN', APP]]) {
      const response = await handler(event({ [name]: origin }));
      expect(response.statusCode).toBe(200);
      expect(response.headers).toEqual({ 'content-type': 'application/json', 'vary': 'Origin', 'access-control-allow-origin': origin });
    }
  });

  test('sends no Access-Control-Allow-Origin for an origin not allowed, or none', async () => {
    const handler = backendOf([APP]);
    const cases: (Record<string, string> | null)[] = [{ Origin: 'https://evil.example' }, { Origin: `${APP}.evil.example` }, { Origin: 'null' }, {}, null];
    for (const headers of cases) {
      const response = await handler(event(headers));
      expect(response.headers).toEqual({ 'content-type': 'application/json', 'vary': 'Origin' });
    }
  });

  test('allows https://app.example.com by default, as the API Gateway CORS configuration does', async () => {
    const response = await backendOf()(event({ Origin: APP }));
    expect(response.headers['access-control-allow-origin']).toBe(APP);
  });

  test('fails at synth on an allowed origin that a browser never sends', () => {
    expect(() => backendOf([APP, 'https://app.example.com/'])).toThrow(/allowOrigins \(ALLOWED_ORIGINS\): "https:\/\/app.example.com\/" is not an origin/);
    expect(() => backendOf(["https://x'];process.exit(1);//"])).toThrow(/is not an origin/);
  });
});
