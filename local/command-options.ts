/** The command line of `cdk-auth0-protected-api local`, parsed strictly: an unknown flag is an error, not ignored. */

export const COMMAND = 'cdk-auth0-protected-api';

export interface LocalOptions {
  /** The CDK app folder (cdk.json). */
  readonly appDir: string;
  /** Overrides cdk.json's `app`. */
  readonly app?: string;
  /** Read this cloud assembly instead of synthesizing. */
  readonly cdkOut?: string;
  /** The first API's port; further APIs take the next ones. 0: any free port. */
  readonly port: number;
  readonly issuerPort: number;
  readonly idleMinutes: number;
  /** Synthesize even when the assembly kept from the last start is newer than every source file. */
  readonly synth: boolean;
  /** Only serve stacks whose name or path contains one of these. */
  readonly stacks: string[];
  readonly quiet: boolean;
}

export const HELP = `Usage: ${COMMAND} local [options]

Runs your CDK app's APIs protected by cdk-auth0-protected-api on 127.0.0.1, with the authorizer
exactly as synthesized, pointed at a local stand-in for your Auth0 tenant. Run it in your CDK app's
folder. Nothing is deployed; no AWS account, Docker or CDK CLI is needed.

Options:
  --app-dir <dir>       the CDK app's folder (default: the current folder)
  --app <command>       the command that runs the app (default: "app" in cdk.json)
  --cdk-out <dir>       serve this synthesized cloud assembly instead of synthesizing
  --synth               synthesize even if no source file changed since the last start
                        (otherwise the app synthesized then is reused: cdk.json "watch" names the sources)
  --port <n>            port of the first API; further APIs take the next ports (default 3000; 0: any)
  --issuer-port <n>     port of the local issuer (default 3100; 0: any)
  --idle-minutes <n>    stop after this many minutes without a request (default 10)
  --stack <name>        serve only stacks whose name or path contains <name> (repeatable)
  --quiet               do not log each request
  -h, --help            show this help

Ctrl-C stops it and everything it started.`;

export class UsageError extends Error {}

function portValue(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} needs a port number from 0 to 65535, got ${value ?? 'nothing'}`);
  return n;
}

/** Parses the arguments after `local`; `undefined` when help was asked for. */
export function parseLocalOptions(args: string[], cwd: string): LocalOptions | undefined {
  let appDir = cwd;
  let app: string | undefined;
  let cdkOut: string | undefined;
  let port = 3000;
  let issuerPort = 3100;
  let idleMinutes = 10;
  let quiet = false;
  let synth = false;
  const stacks: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h': case '--help': return undefined;
      case '--app-dir': appDir = value(); break;
      case '--app': app = value(); break;
      case '--cdk-out': cdkOut = value(); break;
      case '--port': port = portValue(flag, value()); break;
      case '--issuer-port': issuerPort = portValue(flag, value()); break;
      case '--idle-minutes': {
        const v = value();
        idleMinutes = Number(v);
        if (!(idleMinutes > 0)) throw new UsageError(`--idle-minutes needs a positive number, got ${v}`);
        break;
      }
      case '--stack': stacks.push(value()); break;
      case '--quiet': quiet = true; break;
      case '--synth': synth = true; break;
      default: throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (app !== undefined && cdkOut !== undefined) throw new UsageError('--app and --cdk-out exclude each other: --cdk-out serves an app already synthesized');
  if (synth && cdkOut !== undefined) throw new UsageError('--synth and --cdk-out exclude each other: --cdk-out serves an app already synthesized');
  return { appDir, app, cdkOut, port, issuerPort, idleMinutes, stacks, quiet, synth };
}
