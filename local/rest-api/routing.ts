/**
 * API Gateway's (REST) routing of a request to a method: literal path parts before `{param}` before
 * `{proxy+}`, a greedy parameter takes one or more segments, then the resource's own method before
 * its `ANY`. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 *
 * A trailing slash routes like the bare path, and a greedy parameter keeps inner empty segments:
 * `/proxy-value/` reaches `/{proxy+}` with `proxy-value`, `/proxy-value//double-slash` with
 * `proxy-value//double-slash` (recorded against AWS in LocalStack's
 * tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json, test_lambda_aws_proxy_integration).
 * Any other empty segment matches nothing (403).
 */
import type { Match } from './events';
import type { TemplateMethod } from './template-api';

export function matchRoute(methods: TemplateMethod[], method: string, path: string): Match | undefined {
  const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = bare === '/' ? [] : bare.replace(/^\//, '').split('/');
  const byPath = new Map<string, TemplateMethod[]>();
  for (const m of methods) byPath.set(m.resourcePath, [...(byPath.get(m.resourcePath) ?? []), m]);
  const resources = [...byPath.keys()].map((p) => ({ path: p, parts: p === '/' ? [] : p.slice(1).split('/') }));

  const walk = (prefix: string[], i: number, params: Record<string, string>): { path: string; params: Record<string, string> } | undefined => {
    const here = resources.filter((r) => r.parts.length > prefix.length && prefix.every((p, k) => r.parts[k] === p));
    if (i === segments.length) {
      const exact = resources.find((r) => r.parts.length === prefix.length && prefix.every((p, k) => r.parts[k] === p));
      return exact ? { path: exact.path, params } : undefined;
    }
    const next = [...new Set(here.map((r) => r.parts[prefix.length]))];
    const literal = next.find((p) => p === segments[i]);
    if (literal) {
      const found = walk([...prefix, literal], i + 1, params);
      if (found) return found;
    }
    const single = next.find((p) => /^\{[^+}]+\}$/.test(p));
    if (single && segments[i] !== '') {
      const found = walk([...prefix, single], i + 1, { ...params, [single.slice(1, -1)]: decodeURIComponent(segments[i]) });
      if (found) return found;
    }
    const greedy = next.find((p) => /^\{[^}]+\+\}$/.test(p));
    // A greedy value starts with a segment that is not empty.
    if (greedy && segments[i] !== '') {
      const rest = segments.slice(i).map(decodeURIComponent).join('/');
      return walk([...prefix, greedy], segments.length, { ...params, [greedy.slice(1, -2)]: rest });
    }
    return undefined;
  };
  const found = walk([], 0, {});
  if (!found) return undefined;
  const candidates = byPath.get(found.path) ?? [];
  const chosen = candidates.find((m) => m.httpMethod === method) ?? candidates.find((m) => m.httpMethod === 'ANY');
  if (!chosen) return undefined;
  return { method: chosen, pathParameters: Object.keys(found.params).length > 0 ? found.params : null };
}
