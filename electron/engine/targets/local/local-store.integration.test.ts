import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runBlobStoreSuite } from '../../repository/blob-store-suite.js';
import { createFatImage, fatImageUnavailable, type FatKind } from '../../../../test-support/usb-image.js';
import { writeDriveMarker } from './drive-marker.js';
import { LocalStore } from './local-store.js';
import { join } from 'node:path';

for (const fs of ['fat32', 'exfat'] as FatKind[]) {
  const why = fatImageUnavailable(fs);
  if (why && !process.env.CI) {
    test(`BlobStore conformance on ${fs}`, (t) => t.skip(why));
    continue;
  }
  runBlobStoreSuite(`${fs} image over FUSE`, async () => {
    const img = await createFatImage({ sizeMB: 64, fs });
    const marker = await writeDriveMarker(img.mountPath, { label: img.label, targetId: 'usb' });
    const store = new LocalStore(join(img.mountPath, 'Rempart'), { volumeRoot: img.mountPath, expectedDriveId: marker.driveId });
    return { store, cleanup: () => img.cleanup() };
  });
}
