/**
 * Log lines: one object per event, passed to `console` as its only argument. Under Lambda's JSON
 * log format the Node.js runtime writes `{ timestamp, level, requestId, message }` and nests a
 * single object argument as an object under `message`, so metric filters and Logs Insights select
 * on `$.message.reason` (a string argument, such as pre-stringified JSON, would arrive as one
 * escaped string and match nothing). The level is the runtime's: `console.error` is ERROR.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 *
 * Nothing here ever receives the token or the Authorization header: callers pass reasons,
 * routes, subjects, claim names, counts and scope names only.
 */
import { ALARM_REASONS } from '../../src/authorizer/authorizer-config';

const alarmReasons: ReadonlySet<string> = new Set(ALARM_REASONS);

/** Whether `reason` is not the caller's fault: logged at ERROR, counted by the AuthorizerErrors alarm. */
export function isAlarmReason(reason: string): boolean {
  return alarmReasons.has(reason);
}

/**
 * The function's name, which Lambda sets for every function. Each line carries it because a metric
 * filter takes its dimension values only from fields of the log event: the construct's filters
 * publish it as the `FunctionName` dimension, so two authorizers in one account and region keep
 * their metrics and alarms apart.
 */
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;

/** Writes `entry` at ERROR when its reason is an alarm reason, else at WARN. */
export function logEvent(entry: { readonly reason: string } & Record<string, unknown>): void {
  const line = functionName === undefined ? entry : { ...entry, functionName };
  if (isAlarmReason(entry.reason)) console.error(line);
  else console.warn(line);
}

export interface RefusalLog {
  readonly reason: string;
  /** REST: `METHOD resource`, e.g. `GET /items/{id}`; HTTP API: the route key, e.g. `GET /items/{id}` or `$default`. */
  readonly route: string;
  readonly sub?: string;
  readonly detail?: string;
  readonly missingScopes?: string[];
  /** 401 or 403: what API Gateway answers. */
  readonly status: 401 | 403;
}

/**
 * Exactly one line per refused request (401 or 403): WARN when the caller is at fault, ERROR when
 * the refusal is not the caller's fault (see {@link isAlarmReason}), so the alarm tells the two apart.
 */
export function logRefusal(entry: RefusalLog): void {
  logEvent({ event: 'request refused', ...entry });
}

/**
 * Error text made safe to log: without the token (an unexpected error might quote its input),
 * and short, so one log line stays one readable line.
 */
export function safeErrorText(error: unknown, token: string | undefined): string {
  let text = describeError(error);
  if (token) {
    for (const secret of [token, ...token.split('.')]) {
      if (secret.length > 0) text = text.split(secret).join('[redacted]');
    }
  }
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

/**
 * `name: message` of an error, with jose's or Node.js's `code` (`ERR_JWKS_INVALID`, `ECONNREFUSED`)
 * in place of the name when there is one: the bundle is minified, so class names are not readable.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error thrown: ${typeof error}`;
  const code = (error as { code?: unknown }).code;
  return `${typeof code === 'string' ? code : error.name}: ${error.message}`;
}
