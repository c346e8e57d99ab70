import { execSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// The shipped bundle must be reproducible, or every rebuild of the package would change users'
// asset hashes and their snapshot tests would flap.
const root = join(__dirname, '..', '..');

/** The esbuild command line that projen's bundle:authorizer task runs. */
function bundleCommand(): string {
  const tasks = JSON.parse(readFileSync(join(root, '.projen', 'tasks.json'), 'utf8'));
  const step = (tasks.tasks['bundle:authorizer'].steps as { exec?: string }[]).find((s) => s.exec?.startsWith('esbuild '));
  if (!step?.exec) throw new Error('bundle:authorizer has no esbuild step');
  return step.exec;
}

describe('the authorizer bundle', () => {
  test('rebuilding it gives the same bytes as the shipped asset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      const shipped = readFileSync(join(root, 'assets', 'authorizer', 'index.mjs'));
      for (const name of ['first.mjs', 'second.mjs']) {
        const command = bundleCommand().replace('--outfile=assets/authorizer/index.mjs', `--outfile=${join(dir, name)}`);
        execSync(`npx ${command}`, { cwd: root, stdio: 'pipe' });
        expect(readFileSync(join(dir, name)).equals(shipped)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('is an ES module exporting the handler, with no unbundled imports', () => {
    const code = readFileSync(join(root, 'assets', 'authorizer', 'index.mjs'), 'utf8');
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b/);
    // Only Node.js built-ins may remain as imports: the Lambda runtime has no node_modules.
    const imports = [...code.matchAll(/\bfrom\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((i) => !i.startsWith('node:') && !['crypto', 'fs', 'url', 'path', 'util', 'buffer', 'http', 'https', 'zlib', 'stream'].includes(i))).toEqual([]);
    // Nor side-effect or dynamic imports, nor esbuild's require shim, which throws inside an ES module.
    expect(code).not.toMatch(/Dynamic require of|\bimport\s*\(|\bimport\s*"|\brequire\(/);
  });
});
