/**
 * Origins that `cors` must not trust, the same on the REST and the HTTP API construct.
 *
 * `null` is the serialized opaque origin: browsers send `Origin: null` from sandboxed iframes,
 * `data:` URLs, `file:` pages and after cross-origin redirects (https://fetch.spec.whatwg.org/#origin-header,
 * https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin), so any
 * web page can send it. Allowing it with credentials lets every such page read responses with the
 * user's cookies; without credentials it allows any page, as `*` does, while looking like a list
 * of trusted origins. Either way it is never what an allow-list means, so it is refused outright.
 *
 * `*` with credentials: browsers refuse a credentialed response that allows any origin
 * (https://fetch.spec.whatwg.org/#cors-protocol-and-credentials), so the setting would be
 * silently ignored; the user must list origins.
 *
 * @param prop where the CORS options came from, for the message (`cors`, `restApiProps.defaultCorsPreflightOptions`)
 */
export function checkCorsOrigins(prop: string, allowOrigins: readonly string[] | undefined, allowCredentials: boolean | undefined): void {
  const origins = Array.isArray(allowOrigins) ? allowOrigins : [];
  const opaque = origins.find((origin) => typeof origin === 'string' && origin.trim().toLowerCase() === 'null');
  if (opaque !== undefined) {
    throw new Error(`${prop}.allowOrigins: ${JSON.stringify(opaque)} is the origin of every sandboxed iframe, data: URL, file: page and cross-origin redirect, so any web page can send it`
      + (allowCredentials ? ', and with allowCredentials each could read responses with the user\'s cookies' : '')
      + '. Remove it. List the origin of your web app (for example "https://app.example.com"), or use Cors.ALL_ORIGINS ("*") without allowCredentials if any page may read the responses.');
  }
  if (allowCredentials && origins.includes('*')) {
    throw new Error(`${prop}: allowCredentials is true with allowOrigins ["*"], which would let any web page call the API with the user's credentials (browsers refuse it, so credentials would silently not work). `
      + 'List the allowed origins, for example ["https://app.example.com"].');
  }
}
