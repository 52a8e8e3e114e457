/**
 * settings.json in dataDir: loaded, migrated and validated; written atomically (temp + fsync + rename).
 * Secrets never go here (see SecretStore). Before a migration rewrites the file, the old one is kept as settings.v<N>.bak.json.
 */
import { readFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SettingsDto } from '../../contract/api.js';
import { HostError } from '../errors.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { migrateSettings } from './migrate.js';
import { validateSettings } from './validate.js';

export class ConfigStore {
  readonly path: string;

  constructor(readonly dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  /** The settings, or null before the first setup. Throws INVALID_CONFIG naming the bad field. */
  async load(): Promise<SettingsDto | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new HostError('INVALID_CONFIG', `${this.path}: not valid JSON (${(err as Error).message})`, { field: '' });
    }
    const { value, from } = migrateSettings(raw);
    const settings = validateSettings(value);
    if (from !== settings.version) {
      await copyFile(this.path, join(this.dataDir, `settings.v${from}.bak.json`));
      await this.save(settings);
    }
    return settings;
  }

  async save(settings: SettingsDto): Promise<void> {
    const valid = validateSettings(settings);
    await writeFileAtomic(this.path, JSON.stringify(valid, null, 2) + '\n');
  }
}
