/** Shared fixture for host tests: temp folders, a FakeClock, fake OS surfaces, REAL repositories (no engine mocks). */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../engine/base/clock.js';
import { startHost, type Host } from '../host.js';
import { FakePowerEvents, MemorySecretStore, RecordingNotifier, RecordingPathOpener } from '../ports-fake.js';

export const TZ = 'Europe/Paris';
export const PASSPHRASE = 'cheval correct agrafe batterie';

export interface Fixture {
  root: string;
  dataDir: string;
  src: string;
  drivesRoot: string;
  clock: FakeClock;
  notifier: RecordingNotifier;
  secrets: MemorySecretStore;
  power: FakePowerEvents;
  host: Host;
  start(): Promise<Host>;
  cleanup(): Promise<void>;
}

export async function makeFixture(startAt: string, opts: { realClock?: boolean; driveRoot?: string } = {}): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'rempart-host-'));
  const f = {
    root,
    dataDir: join(root, 'data'),
    src: join(root, 'Boutique'),
    drivesRoot: opts.driveRoot ?? join(root, 'media'),
    clock: new FakeClock(new Date(startAt)),
    notifier: new RecordingNotifier(),
    secrets: new MemorySecretStore(),
    power: new FakePowerEvents(),
  } as Fixture;
  await mkdir(join(f.src, 'Compta'), { recursive: true });
  await mkdir(f.drivesRoot, { recursive: true });
  await writeFile(join(f.src, 'Compta', 'ventes 2026.csv'), 'date;montant\n2026-11-23;1250,40\n'.repeat(200));
  await writeFile(join(f.src, 'devis.txt'), 'Devis n° 42 — boulangerie\n');
  f.start = async () => {
    f.host = await startHost({
      dataDir: f.dataDir,
      clock: opts.realClock ? undefined : f.clock,
      timeZone: TZ,
      driveRoots: [f.drivesRoot],
      ports: { notifier: f.notifier, secrets: f.secrets, power: f.power, opener: new RecordingPathOpener() },
      tuning: { scryptWorkFactor: 10 },
      onError: () => undefined,
    });
    return f.host;
  };
  f.cleanup = async () => {
    await f.host?.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  return f;
}

export async function plugDrive(f: Fixture, name: string): Promise<string> {
  const p = join(f.drivesRoot, name);
  await mkdir(p, { recursive: true });
  return p;
}

/** Lets the host's clock-driven polls and the real I/O they start settle. */
export async function settle(f: Fixture, ms = 5_000): Promise<void> {
  await f.clock.advance(ms);
  await f.host.idle();
  await f.clock.advance(0);
}

export function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Adds `mb` files of 1 MiB of random (incompressible) data, so a run lasts long enough to be interrupted. */
export async function addBulk(dir: string, mb: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < mb; i++) await writeFile(join(dir, `photo-${i}-${Date.now()}.raw`), randomBytes(1024 * 1024));
}
