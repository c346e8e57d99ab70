import { CfnResource, Stack } from 'aws-cdk-lib';

/** One accepted cdk-nag finding, in the metadata format cdk-nag reads. */
export interface Suppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
}

/** Adds `suppressions` to the cdk-nag metadata of `scope`'s resource. */
export function suppress(scope: { node: { defaultChild?: unknown } } | Stack, suppressions: Suppression[]): void {
  const resource = (scope as { node: { defaultChild?: unknown } }).node.defaultChild ?? scope;
  if (!CfnResource.isCfnResource(resource as CfnResource)) return;
  const cfn = resource as CfnResource;
  const existing = (cfn.getMetadata('cdk_nag')?.rules_to_suppress ?? []) as Suppression[];
  cfn.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...suppressions] });
}
