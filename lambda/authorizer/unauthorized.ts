/**
 * The 401 side shared by the REST and HTTP API handlers: API Gateway answers 401 only when the
 * function rejects with exactly `Unauthorized`, for both kinds of API
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 */
import { logRefusal, safeErrorText } from './log';
import { Refusal } from './refusal';

/** The one rejection API Gateway maps to 401; any other message becomes a 500. */
export function unauthorized(): Error {
  return new Error('Unauthorized');
}

/** Logs why a request that threw gets 401, without the token. */
export function logUnauthorized(error: unknown, route: string, token: string | undefined): void {
  if (error instanceof Refusal) {
    const detail = error.detail === undefined ? undefined : safeErrorText(new Error(error.detail), token).replace(/^Error: /, '');
    logRefusal({ reason: error.reason, route, sub: error.sub, detail, status: 401 });
  } else {
    logRefusal({ reason: 'internal_error', route, detail: safeErrorText(error, token), status: 401 });
  }
}
