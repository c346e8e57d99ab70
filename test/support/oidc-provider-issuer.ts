/**
 * Starts `oidc-provider-server.mjs` (oidc-provider, ESM-only) in a child process and gets tokens from its
 * token endpoint over HTTP, exactly as a machine-to-machine client of an Auth0 tenant would.
 */
import { fork, type ChildProcess } from 'child_process';
import { join } from 'path';
import { stopChild } from '../../local/child-process';

export const LOCAL_CLIENT_SECRET = 'local-dev-secret';

/** The clients the local issuer knows (see oidc-provider-server.mjs). */
export const LOCAL_CLIENTS = {
  /** Scopes as requested; `permissions` mirrors them. */
  m2m: 'example-m2m',
  /** No `scope`; its grants come only through `permissions`: read:colors, read:files. */
  rbac: 'example-rbac',
  /** Tokens that expire one second after issue. */
  shortLived: 'example-short-lived',
} as const;

export const ROLES_CLAIM = 'https://example.com/roles';

export interface LocalIssuerOptions {
  readonly audience: string;
  /** Scopes the resource server (the API) defines. */
  readonly scopes: string[];
  /** 0 (default): any free port. */
  readonly port?: number;
  /** Called with each stderr line of the provider that is not one of its start-up notices. */
  readonly onLog?: (line: string) => void;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope?: string;
}

const SCRIPT = join(__dirname, 'oidc-provider-server.mjs');

export class LocalIssuer {
  public static async start(options: LocalIssuerOptions): Promise<LocalIssuer> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ISSUER_AUDIENCE: options.audience,
      ISSUER_SCOPES: options.scopes.join(' '),
      ISSUER_PORT: String(options.port ?? 0),
    };
    delete env.NODE_OPTIONS;
    const child = fork(SCRIPT, [], { env, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const onLog = options.onLog ?? (() => undefined);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const line of chunk.split('\n')) {
        if (line.trim() !== '' && !/^oidc-provider (WARNING|NOTICE)/.test(line)) onLog(line);
      }
    });
    const info = await new Promise<{ issuer: string; tokenEndpoint: string; jwksUri: string }>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`local issuer did not start within 10 s\n${stderr}`));
      }, 10_000);
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const newline = stdout.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        resolve(JSON.parse(stdout.slice(0, newline)));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`local issuer exited (${code}) before it was ready\n${stderr}`));
      });
    });
    return new LocalIssuer(child, info.issuer, info.tokenEndpoint, info.jwksUri, options.audience);
  }

  private constructor(
    private readonly child: ChildProcess,
    /** `http://127.0.0.1:<port>/`, with the trailing slash, as Auth0 writes `iss`. */
    public readonly issuer: string,
    public readonly tokenEndpoint: string,
    public readonly jwksUri: string,
    public readonly audience: string,
  ) {}

  /** A client_credentials token for `clientId`, with `scope` when given, for the API's audience. */
  public async token(clientId: string = LOCAL_CLIENTS.m2m, scope?: string): Promise<TokenResponse> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', resource: this.audience });
    if (scope !== undefined) form.set('scope', scope);
    const response = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: {
        'authorization': `Basic ${Buffer.from(`${clientId}:${LOCAL_CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(5_000),
    });
    const body = await response.json() as TokenResponse & { error?: string; error_description?: string };
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}: ${body.error}: ${body.error_description}`);
    return body;
  }

  /** The access token alone. */
  public async accessToken(clientId: string = LOCAL_CLIENTS.m2m, scope?: string): Promise<string> {
    return (await this.token(clientId, scope)).access_token;
  }

  /** A curl command line that gets a token (for people). */
  public curlForToken(scope: string, clientId: string = LOCAL_CLIENTS.m2m): string {
    return `curl -s -u ${clientId}:${LOCAL_CLIENT_SECRET} -d grant_type=client_credentials -d 'scope=${scope}' ${this.tokenEndpoint}`;
  }

  public async stop(): Promise<void> {
    await stopChild(this.child);
  }
}
