import { flag, parse } from './args.js';
import { withRepository, EXIT_OK } from './context.js';
import { Output } from './progress.js';
import { newPassphrase } from './secrets.js';

export const usage = 'rempart passwd --repo DIR|URL   (current secret: REMPART_PASSPHRASE or REMPART_RECOVERY_KEY; new: REMPART_NEW_PASSPHRASE or prompt)';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {});
  const out = new Output(flag(p, 'json'));
  return withRepository(p, { needRead: true }, async (repo) => {
    const next = await newPassphrase('REMPART_NEW_PASSPHRASE');
    await repo.changePassphrase(next);
    out.event({ type: 'passwd', repositoryId: repo.id, ok: true });
    out.line('passphrase changed; the recovery key is unchanged and still valid');
    return EXIT_OK;
  });
}
