/**
 * Log lines. One JSON object per line, so CloudWatch Logs Insights can filter on `reason`.
 * Nothing here ever receives the token or the Authorization header: callers pass reasons,
 * routes, subjects and scope names only.
 */

export interface RefusalLog {
  readonly reason: string;
  /** `METHOD resource`, e.g. `GET /items/{id}`. */
  readonly route: string;
  readonly sub?: string;
  readonly detail?: string;
  readonly missingScopes?: string[];
  /** 401 or 403: what API Gateway answers. */
  readonly status: 401 | 403;
}

/**
 * Exactly one line per refused request (401 or 403). A warning when the caller is at fault; an
 * error when the refusal points at a misconfiguration (a route the authorizer does not know, an
 * event API Gateway would not send), so alarms can tell the two apart.
 */
export function logRefusal(entry: RefusalLog, level: 'warn' | 'error' = 'warn'): void {
  const line = JSON.stringify({ level, message: 'request refused', ...entry });
  if (level === 'error') console.error(line);
  else console.warn(line);
}

/**
 * Error text made safe to log: without the token (an unexpected error might quote its input),
 * and short, so one log line stays one readable line.
 */
export function safeErrorText(error: unknown, token: string | undefined): string {
  let text = error instanceof Error ? `${error.name}: ${error.message}` : `non-Error thrown: ${typeof error}`;
  if (token) {
    for (const secret of [token, ...token.split('.')]) {
      if (secret.length > 0) text = text.split(secret).join('[redacted]');
    }
  }
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}
