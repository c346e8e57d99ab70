"""The example backend's code, shared by the REST example stacks."""


# Backend shared by every route: echoes who called and what the authorizer passed on, with the CORS
# headers a browser needs on a Lambda proxy response (the allowed Origin echoed back, Vary: Origin).
# The same text as echoHandler in examples/typescript/example-stack.ts.
def echo_handler(allowed_origins: list[str]) -> str:
    return "\n".join([
        "const allowedOrigins = ['" + "', '".join(allowed_origins) + "'];",
        "exports.handler = async (event) => {",
        "  const origin = Object.entries(event.headers || {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];",
        "  const cors = allowedOrigins.includes(origin) ? { 'access-control-allow-origin': origin } : {};",
        "  return {",
        "    statusCode: 200,",
        "    headers: { 'content-type': 'application/json', 'vary': 'Origin', ...cors },",
        '    body: JSON.stringify({ route: event.httpMethod + " " + event.resource, authorizer: event.requestContext.authorizer || null }),',
        "  };",
        "};",
    ])
