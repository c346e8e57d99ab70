import { CfnResource, Lazy } from 'aws-cdk-lib';
import { Code, CodeConfig, ResourceBindOptions } from 'aws-cdk-lib/aws-lambda';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { keepStagedAssetIfReadAfterSynth } from './authorizer-asset';

/**
 * Lambda code whose asset is created only once the route table is complete.
 *
 * The authorizer's configuration (its route table) lives in the code asset, but routes are added
 * after the function exists. So the function gets lazy S3 coordinates now, and the asset is
 * created before synthesis by {@link AuthorizerCode.stage}.
 */
export class AuthorizerCode extends Code {
  private asset?: Asset;
  private resource?: CfnResource;
  private resourceProperty = 'Code';

  public bind(_scope: Construct): CodeConfig {
    return {
      s3Location: {
        bucketName: Lazy.string({ produce: () => this.stagedAsset().s3BucketName }),
        objectKey: Lazy.string({ produce: () => this.stagedAsset().s3ObjectKey }),
      },
    };
  }

  public bindToResource(resource: CfnResource, options?: ResourceBindOptions): void {
    this.resource = resource;
    this.resourceProperty = options?.resourceProperty ?? 'Code';
  }

  /** Whether {@link stage} has run. */
  public get isStaged(): boolean {
    return this.asset !== undefined;
  }

  /** Creates the asset from `directory`; call once, when the configuration is final. */
  public stage(scope: Construct, id: string, directory: string): void {
    this.asset = new Asset(scope, id, { path: directory });
    keepStagedAssetIfReadAfterSynth(this.asset);
    // Tools such as SAM and the end-to-end tests find the asset directory through this metadata.
    if (this.resource) this.asset.addResourceMetadata(this.resource, this.resourceProperty);
  }

  private stagedAsset(): Asset {
    if (!this.asset) throw new Error('The authorizer code was resolved before its asset was staged; this is a bug in cdk-auth0-protected-api.');
    return this.asset;
  }
}
