/**
 * How an HTTP API reads a Lambda integration's answer in payload format 2.0, and which answers it
 * cannot use: those become 500 `{"message":"Internal Server Error"}`, never a crash.
 *
 * "Lambda function response for format 2.0"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response):
 * an answer without `statusCode` is taken as the body of a 200 `application/json` response;
 * otherwise `statusCode`, `headers`, `body`, `cookies` (one `set-cookie` header each) and
 * `isBase64Encoded` (the body is sent decoded). Not documented, decided conservatively (500): a
 * status code that is not an integer from 100 to 599, a body that is not a string, a header value
 * that is an object or list, cookies that are not a list of strings, and a header name or value
 * that HTTP cannot carry (CR, LF, NUL).
 */
import { validateHeaderName, validateHeaderValue } from 'http';

export interface HttpProxyAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly cookies: string[];
}

export function readHttpProxyResponse(result: unknown): HttpProxyAnswer | { readonly problem: string } {
  if (typeof result !== 'object' || result === null || Array.isArray(result) || !('statusCode' in result)) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result), cookies: [] };
  }
  const r = result as Record<string, unknown>;
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) {
    return { problem: `statusCode ${JSON.stringify(r.statusCode)} is not an HTTP status (an integer from 100 to 599)` };
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return { problem: 'body is not a string' };
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return { problem: 'isBase64Encoded is not a boolean' };
  const cookies = r.cookies ?? [];
  if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== 'string')) return { problem: 'cookies is not a list of strings' };
  const headers: Record<string, string> = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return { problem: 'headers is not an object' };
    for (const [name, value] of Object.entries(r.headers)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) return { problem: `header ${name} is not a string` };
      try {
        validateHeaderName(name);
        validateHeaderValue(name, String(value));
      } catch {
        return { problem: `header ${JSON.stringify(name)}: ${JSON.stringify(String(value))} is not a valid HTTP header` };
      }
      headers[name.toLowerCase()] = String(value);
    }
  }
  for (const cookie of cookies as string[]) {
    try {
      validateHeaderValue('set-cookie', cookie);
    } catch {
      return { problem: `cookie ${JSON.stringify(cookie)} is not a valid set-cookie value` };
    }
  }
  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64').toString('utf8') : text;
  return { status: r.statusCode, headers, body, cookies: cookies as string[] };
}
