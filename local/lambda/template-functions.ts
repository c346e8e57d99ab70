/**
 * The Lambda functions of a synthesized template, as the {@link FunctionRunner} runs them: handler,
 * runtime, literal environment, timeout, log format, and their code (the staged asset folder or
 * inline `ZipFile` code). Shared by every kind of API the command serves.
 */
import { join } from 'path';
import type { RunnableFunction } from './function-runner';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A function as the template defines it: exactly what the {@link FunctionRunner} needs to run it. */
export type TemplateFunction = RunnableFunction;

/**
 * Every `AWS::Lambda::Function` of a template's `Resources`. A function's code folder comes from its
 * `aws:asset:path` metadata, or else from `assetPaths` (S3 object key → staged folder, from the
 * asset manifest).
 */
export function readTemplateFunctions(
  resources: Record<string, Json>, assemblyDir: string, assetPaths: Map<string, string>,
): Map<string, TemplateFunction> {
  const functions = new Map<string, TemplateFunction>();
  for (const [logicalId, fn] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')) {
    const p = fn.Properties;
    const environment: Record<string, string> = {};
    const unresolvedEnvironment: string[] = [];
    for (const [name, value] of Object.entries(p.Environment?.Variables ?? {})) {
      if (typeof value === 'string') environment[name] = value;
      else unresolvedEnvironment.push(name);
    }
    const assetPath = fn.Metadata?.['aws:asset:path'];
    functions.set(logicalId, {
      logicalId,
      handler: p.Handler,
      runtime: p.Runtime,
      environment,
      unresolvedEnvironment,
      timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : 3,
      logFormat: typeof p.LoggingConfig?.LogFormat === 'string' ? p.LoggingConfig.LogFormat : 'Text',
      assetDir: typeof assetPath === 'string' ? join(assemblyDir, assetPath) : assetPaths.get(p.Code?.S3Key),
      inlineCode: typeof p.Code?.ZipFile === 'string' ? p.Code.ZipFile : undefined,
    });
  }
  return functions;
}

/** The function a Lambda integration or authorizer URI points at (`Fn::GetAtt [id, Arn]` inside it). */
export function functionIn(uri: Json, owner: string): string {
  const ids = new Set<string>();
  const walk = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const getAtt = node['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn') ids.add(getAtt[0]);
      else Object.values(node).forEach(walk);
    }
  };
  walk(uri);
  if (ids.size !== 1) throw new Error(`${owner}: expected one Lambda function in its URI, found ${ids.size}`);
  return [...ids][0];
}

/** One line per function among `used` whose environment references values known only after deployment. */
export function unresolvedEnvironmentWarnings(functions: Map<string, TemplateFunction>, used: Iterable<string>): string[] {
  return [...new Set(used)].flatMap((id) => {
    const fn = functions.get(id);
    return fn && fn.unresolvedEnvironment.length > 0
      ? [`function ${id}: environment ${fn.unresolvedEnvironment.join(', ')} reference values known only after deployment; they are not set locally`]
      : [];
  });
}
