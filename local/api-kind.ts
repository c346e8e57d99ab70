/**
 * How a kind of API (REST now, HTTP API beside it) plugs into the command: it finds its APIs in a
 * synthesized stack, describes their routes, and serves one on 127.0.0.1. The command knows
 * nothing else about any kind; `api-kinds.ts` lists them.
 */
import type { FunctionRunner } from './lambda/function-runner';
import type { AuthorizerConfig } from '../src/authorizer/authorizer-config';

/** One stack of the synthesized app. */
export interface SynthesizedStack {
  readonly stackName: string;
  /** The construct path users see, e.g. `Prod/Api` inside a stage. */
  readonly displayName: string;
  readonly template: unknown;
  /** Where the template and its assets are; asset paths are relative to it. */
  readonly assemblyDir: string;
  readonly templateFile: string;
  /** S3 object key of a file asset → its staged path (for templates without asset metadata). */
  readonly assetPaths: Map<string, string>;
}

/** One route as the listing shows it. */
export interface RouteListing {
  readonly method: string;
  readonly path: string;
  /** `public`; or the scopes a token needs; or why the route is not run locally (it answers 501). */
  readonly access: { readonly public: true } | { readonly scopes: string[] } | { readonly notEmulated: string };
}

/** What every kind's server gets from the command. */
export interface ServeContext {
  /** The stand-in issuer every authorizer is pointed at. */
  readonly issuer: { readonly issuer: string; readonly jwksUri: string };
  /** 0: any free port. */
  readonly port: number;
  readonly functions: FunctionRunner;
  /** A private directory for the copies of authorizer assets. */
  readonly workDir: string;
  /** One line per request served. */
  readonly log: (line: string) => void;
  /** Called on every request (the idle timeout restarts). */
  readonly onActivity: () => void;
}

export interface RunningApi {
  /** The URL every route path is appended to, e.g. `http://127.0.0.1:3000/prod`. */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** An API protected by this library, found in the app. */
export interface LocalApi {
  /** `REST API`, `HTTP API`. */
  readonly kind: string;
  /** `Stack/LogicalId`. */
  readonly name: string;
  readonly stack: SynthesizedStack;
  /** The configuration of each of its authorizers, as synthesized. */
  readonly authorizerConfigs: AuthorizerConfig[];
  routes(): RouteListing[];
  /** Things the local run does differently from the deployed API, to print before the routes. */
  warnings(): string[];
  serve(context: ServeContext): Promise<RunningApi>;
}

export interface ApiKind {
  /** Every API of this kind in `stack` that an authorizer of this library protects. */
  find(stack: SynthesizedStack): LocalApi[];
}
