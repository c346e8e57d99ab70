/**
 * The command's banner: its example curl lines must say what will really happen. The 403 line
 * names the scopes the example token lacks, not every scope the route needs.
 */
import type { LocalApi, RouteListing } from '../../local/api-kind';
import { banner } from '../../local/banner';
import { LocalIssuer } from '../../local/issuer/local-issuer';

let issuer: LocalIssuer;
beforeAll(async () => { issuer = await LocalIssuer.start(); });
afterAll(async () => issuer?.stop());

function api(routes: RouteListing[]): LocalApi {
  return {
    kind: 'REST API',
    name: 'Shop/Api',
    stack: { stackName: 'Shop', displayName: 'Shop', template: {}, assemblyDir: '/tmp/cdk.out', templateFile: '/tmp/cdk.out/Shop.template.json', assetPaths: new Map() },
    authorizerConfigs: [{ issuer: 'https://acme.eu.auth0.com/', audience: 'https://api.acme.com' }] as unknown as LocalApi['authorizerConfigs'],
    routes: () => routes,
    warnings: () => [],
    serve: () => Promise.reject(new Error('not served in this test')),
  };
}

test('the 403 example names the scope the example token lacks', () => {
  const text = banner(issuer, [{
    api: api([
      { method: 'GET', path: '/colors', access: { scopes: ['read:colors'] } },
      { method: 'POST', path: '/colors', access: { scopes: ['read:colors', 'write:colors'] } },
    ]),
    baseUrl: 'http://127.0.0.1:3000/prod',
  }], 10, '/tmp');
  expect(text).toContain("-d 'scope=read:colors'");
  const line = text.split('\n').find((l) => l.includes('# 403'));
  expect(line).toContain('-X POST http://127.0.0.1:3000/prod/colors');
  expect(line).toMatch(/# 403: the token lacks write:colors$/);
});
