/**
 * How a REST API reads a Lambda proxy integration's answer, and which answers it cannot use: those
 * become 502 `{"message": "Internal server error"}` ("Malformed Lambda proxy response"), never a crash.
 *
 * The format: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 * What AWS accepts and refuses beyond it, as recorded against AWS in LocalStack's
 * tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json
 * (test_aws_proxy_response_payload_format_validation): every field is optional (no statusCode: 200);
 * a key outside the format, a statusCode that is not an integer (`"201"` is accepted as 201), a
 * multiValueHeaders value that is not a list, or a result that is not an object: 502; a boolean
 * header value is sent as `true`/`false`; multiValueHeaders and headers of one name are merged into
 * one `a, b` list, a pair present in both appearing once, under the multiValueHeaders spelling.
 * Not recorded, decided conservatively (502): a status outside 100-599, a body that is not a
 * string, a header value that is neither string nor boolean, and a header name or value that HTTP
 * cannot carry (CR, LF, NUL: a backend must not be able to add headers or split the response).
 */
import { validateHeaderName, validateHeaderValue } from 'http';

export interface ProxyAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const FIELDS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/** The answer API Gateway sends for `result`, or why it answers 502 instead. */
export function readRestProxyResponse(result: unknown): ProxyAnswer | { readonly problem: string } {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return { problem: `the result is ${describe(result)}, not an object` };
  const r = result as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) return { problem: `unknown field ${unknown.join(', ')}` };
  const status = statusOf(r.statusCode);
  if (typeof status === 'string') return { problem: status };
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return { problem: `body is ${describe(r.body)}, not a string` };
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return { problem: 'isBase64Encoded is not a boolean' };

  // Names compared without case; the first spelling wins, multiValueHeaders first.
  const merged = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: unknown): string | undefined => {
    if (typeof value !== 'string' && typeof value !== 'boolean') return `header ${name} is ${describe(value)}, not a string`;
    const text = String(value);
    try {
      validateHeaderName(name);
      validateHeaderValue(name, text);
    } catch {
      return `header ${JSON.stringify(name)}: ${JSON.stringify(text)} is not a valid HTTP header`;
    }
    const entry = merged.get(name.toLowerCase()) ?? { name, values: [] };
    if (!entry.values.includes(text)) entry.values.push(text);
    merged.set(name.toLowerCase(), entry);
    return undefined;
  };
  const multi = r.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) return { problem: 'multiValueHeaders is not an object' };
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) return { problem: `multiValueHeaders.${name} is ${describe(values)}, not a list` };
      for (const value of values) {
        const problem = add(name, value);
        if (problem) return { problem };
      }
    }
  }
  const single = r.headers;
  if (single !== undefined && single !== null) {
    if (typeof single !== 'object' || Array.isArray(single)) return { problem: 'headers is not an object' };
    for (const [name, value] of Object.entries(single)) {
      const problem = add(name, value);
      if (problem) return { problem };
    }
  }
  const headers: Record<string, string> = {};
  for (const { name, values } of merged.values()) headers[name.toLowerCase()] = values.join(', ');
  // Without binary media types on the API (this emulation reads none), API Gateway passes a base64
  // body through as text: recorded as "invoke-api-b64-encoded-true" in the snapshot above.
  return { status, headers, body: typeof r.body === 'string' ? r.body : '' };
}

function statusOf(value: unknown): number | string {
  if (value === undefined || value === null) return 200;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) return `statusCode ${JSON.stringify(value)} is not an integer`;
  if (n < 100 || n > 599) return `statusCode ${n} is not an HTTP status (100-599)`;
  return n;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
