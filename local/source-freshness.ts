/**
 * What the app's sources are now: a fingerprint of the files `cdk watch` would watch (cdk.json's
 * `watch.include`, default every file of the app folder, minus `watch.exclude`), plus what decides
 * synthesis whatever those lists say (cdk.json, cdk.context.json, the lock files of the installed
 * dependencies): each file's path, size and modification time. Never node_modules' contents,
 * cdk.out or dot folders. https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-watch.html
 *
 * Two fingerprints are compared for equality, not for which is newer: a deleted or renamed file, or
 * a file replaced by one with an older modification time (a copy that keeps times, an archive, a
 * checkout tool), changes the fingerprint as an edit does.
 */
import { createHash } from 'crypto';
import { readdirSync, statSync } from 'fs';
import { join, relative, resolve, sep } from 'path';

/** Stop walking after this many files: a folder this large is not an app's sources. */
const MAX_FILES = 20_000;

export interface SourceFingerprint {
  /** SHA-256 over every considered file's path (relative to the app), size and modification time. */
  readonly fingerprint: string;
  /** How many files it covers. */
  readonly files: number;
}

/** `*` any run within a segment, `**` any number of segments, `?` one character; a match also covers what is below it. */
function globRegex(glob: string): RegExp {
  const parts = glob.replace(/\\/g, '/').replace(/\/$/, '').split('/');
  const source = parts.map((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') return last ? '.*' : '(?:[^/]*/)*';
    const text = [...part].map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    return last ? text : `${text}/`;
  }).join('');
  return new RegExp(`^${source}(?:/.*)?$`);
}

/** The literal folder a glob starts from (`../../src/**\/*.ts` → `../../src`). */
function baseOf(glob: string): string {
  const parts = glob.replace(/\\/g, '/').split('/');
  const literal = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?]/.test(part)) break;
    literal.push(part);
  }
  return literal.join('/') || '.';
}

export function sourceFingerprint(appDir: string, watch: { include?: unknown; exclude?: unknown } | undefined): SourceFingerprint {
  const list = (value: unknown, fallback: string[]) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : fallback);
  const include = list(watch?.include, ['**']);
  const exclude = list(watch?.exclude, []).map(globRegex);
  const stats = new Map<string, string>();
  const consider = (path: string) => {
    try {
      const { size, mtimeMs } = statSync(path);
      stats.set(relative(appDir, path).split(sep).join('/'), `${size} ${mtimeMs}`);
    } catch {
      // Not there: its absence is part of the fingerprint.
    }
  };
  for (const always of ['cdk.json', 'cdk.context.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', join('node_modules', '.package-lock.json')]) consider(join(appDir, always));

  let seen = 0;
  const visited = new Set<string>();
  for (const glob of include) {
    const pattern = globRegex(glob);
    const walk = (dir: string) => {
      const real = resolve(dir);
      if (visited.has(real) || seen > MAX_FILES) return;
      visited.add(real);
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'cdk.out') continue;
        const path = join(dir, entry.name);
        const rel = relative(appDir, path).split(sep).join('/');
        if (exclude.some((x) => x.test(rel))) continue;
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile() && pattern.test(rel) && ++seen <= MAX_FILES) consider(path);
      }
    };
    walk(join(appDir, baseOf(glob)));
  }
  const hash = createHash('sha256');
  for (const path of [...stats.keys()].sort()) hash.update(`${path}\0${stats.get(path)}\n`);
  return { fingerprint: hash.digest('hex'), files: stats.size };
}
