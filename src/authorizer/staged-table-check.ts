/**
 * A standalone authorizer's route table is staged (written into its code asset) while aspects run,
 * but aspects that run later and edits made during validation can still change which methods or
 * routes deploy with the authorizer. At validation the table is read again from the rendered
 * template; any difference fails synthesis, since the deployed authorizer would deny a route it
 * does not know, or keep answering for one that moved.
 */

/** One line of a route table as compared: the route and every scope it requires. */
export function tableEntry(route: string, scopes: readonly string[]): string {
  return `${route} (scopes: ${[...new Set(scopes)].sort().join(', ') || 'none'})`;
}

/**
 * One message per difference between the table staged and the one the rendered template gives now.
 *
 * @param owner `Auth0RestAuthorizer <path>`, for messages
 * @param staged the {@link tableEntry} lines the asset was staged with
 * @param now the lines read from the rendered template at validation
 */
export function staleTableProblems(owner: string, staged: readonly string[], now: readonly string[]): string[] {
  const fix = 'its route table was built before an aspect or escape hatch that ran later changed it, so the deployed authorizer would decide by a stale table. '
    + 'Make that edit in your app before synthesis, not in an aspect that runs after this authorizer\'s.';
  return [
    ...now.filter((e) => !staged.includes(e)).map((e) => `${owner}: ${e} deploys with this authorizer, but ${fix}`),
    ...staged.filter((e) => !now.includes(e)).map((e) => `${owner}: ${e} is in this authorizer's route table but no longer deploys with it as such: ${fix}`),
  ];
}
