import { initRepository, isRepository, RempartError } from '../engine/index.js';
import { int, parse } from './args.js';
import { storeFromArgs, EXIT_OK } from './context.js';
import { Output } from './progress.js';
import { encodeWriterKey, newPassphrase } from './secrets.js';

export const usage = 'rempart init --repo DIR|URL [--pack-size MIB] [--json]';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, { 'pack-size': { type: 'string' } });
  const out = new Output(p.values.json === true);
  const store = await storeFromArgs(p);
  try {
    if (await isRepository(store)) throw new RempartError('REPOSITORY_EXISTS', `a repository already exists at ${store.location}`);
    const passphrase = await newPassphrase('REMPART_PASSPHRASE');
    const packMiB = int(p, 'pack-size');
    const wf = Number(process.env.REMPART_SCRYPT_WORK_FACTOR ?? '');
    const r = await initRepository({
      store,
      passphrase,
      packSize: packMiB ? packMiB * 1024 * 1024 : undefined,
      scryptWorkFactor: Number.isInteger(wf) && wf > 0 ? wf : undefined,
    });
    out.event({ type: 'init', repositoryId: r.repoId, location: store.location, recoveryKey: r.recoveryKey, writerKey: encodeWriterKey(r.credentials) });
    out.line(`created repository ${r.repoId} at ${store.location}`);
    out.line('');
    out.line('RECOVERY KEY (write it down and keep it safe; it opens every backup even without the passphrase):');
    out.line(`  ${r.recoveryKey}`);
    out.line('');
    out.line('It is shown only now. Without the passphrase or this key, the backups cannot be restored.');
    return EXIT_OK;
  } finally {
    await store.close().catch(() => {});
  }
}
