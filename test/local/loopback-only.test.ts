/**
 * The command's servers answer only requests addressed to themselves on a loopback name: a web page
 * whose host name resolves to 127.0.0.1 (DNS rebinding) gets 421, so it cannot get tokens from the
 * local issuer (fixed client secret, predictable port) or call the developer's backends.
 */
import { request } from 'http';
import { SpaServer } from '../../examples/spa/serve';
import { ApiServer } from '../../local/api-server';
import { LOCAL_CLIENT_SECRET, LocalIssuer } from '../../local/issuer/local-issuer';

interface Answer { status: number; body: string }

function send(origin: string, path: string, host: string | undefined, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const req = request({ hostname: '127.0.0.1', port: url.port, path: url.pathname, method: body === undefined ? 'GET' : 'POST', headers, setHost: host === undefined }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    if (host !== undefined) req.setHeader('host', host);
    req.on('error', reject);
    req.end(body);
  });
}

const tokenRequest = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: LOCAL_CLIENT_SECRET }).toString();

describe('the local issuer', () => {
  let issuer: LocalIssuer;
  beforeAll(async () => {
    issuer = await LocalIssuer.start({ defaultAudience: 'https://api.acme.com' });
  });
  afterAll(async () => issuer?.stop());

  test.each(['rebind.attacker.example', 'rebind.attacker.example:PORT', '127.0.0.1:1', 'localhost.attacker.example:PORT', '127.0.0.1.nip.io:PORT'])('refuses a token request whose Host is %s with 421', async (host) => {
    const answer = await send(issuer.domain, '/oauth/token', host.replace('PORT', String(issuer.port)), tokenRequest);
    expect(answer.status).toBe(421);
    expect(answer.body).toMatch(/Host/);
    expect(answer.body).not.toMatch(/access_token/);
  });

  test.each(['127.0.0.1:PORT', 'localhost:PORT', 'LOCALHOST:PORT', '[::1]:PORT'])('answers a token request whose Host is %s', async (host) => {
    const answer = await send(issuer.domain, '/oauth/token', host.replace('PORT', String(issuer.port)), tokenRequest);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).access_token).toMatch(/^ey/);
  });
});

describe('the local API server', () => {
  let server: ApiServer;
  const logged: string[] = [];
  beforeAll(async () => {
    server = await ApiServer.start(async () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'backend answered' }),
      { port: 0, log: (line) => logged.push(line), onActivity: () => undefined });
  });
  afterAll(async () => server?.stop());
  const port = () => new URL(server.origin).port;

  test('refuses a request whose Host is a rebound name with 421, before the gateway sees it', async () => {
    const answer = await send(server.origin, '/prod/orders', `rebind.attacker.example:${port()}`);
    expect(answer.status).toBe(421);
    expect(answer.body).not.toMatch(/backend answered/);
    expect(logged.at(-1)).toMatch(/GET \/prod\/orders → 421/);
  });

  test('answers requests for itself on loopback names', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`]) {
      expect(await send(server.origin, '/prod/orders', host)).toEqual({ status: 200, body: 'backend answered' });
    }
  });
});

describe('the example SPA\'s page server', () => {
  let spa: SpaServer;
  beforeAll(async () => { spa = await SpaServer.start(); });
  afterAll(async () => spa?.stop());

  test('serves its page only under its own loopback address', async () => {
    const port = new URL(spa.origin).port;
    expect((await send(spa.origin, '/config.js', `rebind.attacker.example:${port}`)).status).toBe(421);
    expect((await send(spa.origin, '/config.js', `localhost:${port}`)).status).toBe(200);
  });
});
