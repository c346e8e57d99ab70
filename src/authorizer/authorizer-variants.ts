import { CfnResource, Reference, Token } from 'aws-cdk-lib';

/**
 * The `withScopes` variants of a standalone authorizer, told apart in the rendered template.
 *
 * Every variant must deploy as the same `{ Ref: <authorizer> }`, yet the route table needs to know
 * which variant each method or route carries. So each variant is its own CDK reference to the
 * authorizer resource: it resolves to the authorizer's own id (so it deploys, and crosses stacks,
 * exactly as the id does), and the rendered-resource reader keeps every reference as the token it
 * is (see rendered-resources.ts), so the rendered `AuthorizerId` still names the variant after
 * overrides and escape hatches. An id that refers to the authorizer any other way (its own id, or
 * a `Ref` written by hand) asks for no scopes beyond `requiredScopes`.
 */
export class AuthorizerVariants {
  private readonly scopesById = new Map<string, string[]>();

  /**
   * A new id for `authorizer` that asks for `scopes` too.
   *
   * @param authorizer the `AWS::ApiGateway::Authorizer` or `AWS::ApiGatewayV2::Authorizer`
   * @param authorizerId its id as CDK hands it out (`authorizer.ref`)
   */
  public add(authorizer: CfnResource, authorizerId: string, scopes: string[]): string {
    const id = Token.asString(new VariantReference(authorizerId, authorizer));
    this.scopesById.set(id, scopes);
    return id;
  }

  /** The scopes a rendered `AuthorizerId` that refers to the authorizer asks for. */
  public scopesOf(renderedAuthorizerId: unknown): string[] {
    return (typeof renderedAuthorizerId === 'string' ? this.scopesById.get(renderedAuthorizerId) : undefined) ?? [];
  }
}

/** Resolves to the authorizer's id; a `Ref` of the authorizer to every reader of references. */
class VariantReference extends Reference {
  constructor(authorizerId: string, authorizer: CfnResource) {
    super(authorizerId, authorizer, 'Ref');
  }
}
