/**
 * Forwards a request to an HTTP endpoint, as an HTTP proxy integration does (REST `HTTP_PROXY`,
 * HTTP API `HTTP_PROXY`): the caller's headers without the hop-by-hop ones, the body, and the
 * endpoint's status, headers and body back. Shared by every kind of API the command serves.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-integration-types.html
 */
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';

export interface ForwardedAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** A gateway response type (`INTEGRATION_FAILURE`, `INTEGRATION_TIMEOUT`, ...) to answer instead. */
  readonly gatewayError?: string;
}

/** API Gateway's integration timeout when the integration sets none (REST APIs: 29 s by default; HTTP APIs: 30 s at most). */
const INTEGRATION_TIMEOUT_MS = 29_000;

/** Headers that belong to one connection (RFC 9110 §7.6.1), never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

export async function forwardHttp(
  url: URL, method: string, requestHeaders: Record<string, string | string[]>, body: string | undefined, timeoutMs = INTEGRATION_TIMEOUT_MS,
): Promise<ForwardedAnswer> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(requestHeaders)) if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<ForwardedAnswer>((resolve) => {
    const outgoing = send(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const answerHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 502, headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => resolve({ status: 504, headers: {}, body: '', gatewayError: 'INTEGRATION_FAILURE' }));
    });
    outgoing.on('timeout', () => {
      outgoing.destroy();
      resolve({ status: 504, headers: {}, body: '', gatewayError: 'INTEGRATION_TIMEOUT' });
    });
    outgoing.on('error', () => resolve({ status: 504, headers: {}, body: '', gatewayError: 'INTEGRATION_FAILURE' }));
    outgoing.end(body);
  });
}
