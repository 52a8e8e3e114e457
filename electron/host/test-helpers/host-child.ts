/**
 * A host in its own process, for the kill -9 test: sets up a USB copy on a folder drive, starts the first backup and
 * prints "RUNNING" once the backup is under way. The parent kills it with SIGKILL.
 *   node --import tsx host-child.ts <dataDir> <driveRoot> <mountPath> <sourceDir>
 */
import { startHost } from '../host.js';

const [dataDir, driveRoot, mountPath, src] = process.argv.slice(2);
const host = await startHost({ dataDir, driveRoots: [driveRoot], timeZone: 'Europe/Paris', tuning: { scryptWorkFactor: 10 }, onError: () => undefined });
let told = false;
host.on('progress', (p) => {
  if (!told && p.progress.phase === 'backing-up' && p.progress.bytesDone > 0) {
    told = true;
    process.stdout.write('RUNNING\n');
  }
});
const r = await host.api.completeSetup({ sources: [src], excludes: [], usb: { mountPath, label: 'Clé' }, passphrase: 'cheval correct agrafe batterie', language: 'fr' });
if (!r.ok) {
  process.stdout.write(`SETUP FAILED ${r.error.code} ${r.error.message}\n`);
  process.exit(2);
}
await host.idle();
process.stdout.write('DONE\n');
await host.stop();
