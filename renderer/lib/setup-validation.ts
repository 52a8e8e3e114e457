/** What blocks each step of the setup wizard (a string key for the message), or null when the step is complete. */
import type { UiKey } from '../../locales/index.js';
import { cloudKey } from '../store/slices/setup.js';
import type { SetupState } from '../store/types.js';
import { passphraseProblem } from './passphrase.js';
import { isAcceptableWebdavUrl } from './webdav-url.js';

export function setupStepProblem(s: SetupState, step: number): UiKey | null {
  switch (step) {
    case 0:
      return s.sources.length === 0 ? 'setup.folders.none' : null;
    case 1:
      if (s.usbSkipped) return null;
      if (!s.usb) return 'setup.usb.choose';
      return s.usb.label.trim() ? null : 'setup.usb.labelRequired';
    case 2:
      if (s.cloudSkipped) return s.usbSkipped ? 'setup.oneCopyRequired' : null;
      if (!isAcceptableWebdavUrl(s.cloud.url)) return 'setup.cloud.urlInvalid';
      if (s.cloudTest.state !== 'ok' || s.cloudTest.testedFor !== cloudKey(s.cloud)) return 'setup.cloud.mustTest';
      return null;
    case 3: {
      const p = passphraseProblem(s.passphrase, s.passphraseAgain);
      return p === 'weak' ? 'setup.pass.weak' : p === 'mismatch' ? 'setup.pass.mismatch' : null;
    }
    case 4:
      return s.sheetConfirmed ? null : 'sheet.mustConfirm';
    default:
      return null;
  }
}
