/** Live progress of one copy in plain words: files, MB, speed, time left. */
import type { RunProgressDto } from '../../electron/contract/api.js';
import { formatBytes, formatDuration, formatNumber } from '../../locales/index.js';
import type { Translator } from '../i18n/use-t.js';

export function progressLines(p: RunProgressDto, tr: Translator): string[] {
  const lines: string[] = [];
  const n = (v: number) => formatNumber(v, tr.lang);
  lines.push(p.filesTotal !== null ? tr.t('run.files', { done: n(p.filesDone), total: n(p.filesTotal) }) : tr.t('run.filesNoTotal', { done: n(p.filesDone) }));
  const b = (v: number) => formatBytes(v, tr.lang);
  lines.push(p.bytesTotal !== null ? tr.t('run.bytes', { done: b(p.bytesDone), total: b(p.bytesTotal) }) : tr.t('run.bytesNoTotal', { done: b(p.bytesDone) }));
  if (p.bytesPerSecond > 0) lines.push(tr.t('run.speed', { speed: b(p.bytesPerSecond) }));
  if (p.etaSeconds !== null && p.etaSeconds > 0) lines.push(tr.t('run.eta', { eta: formatDuration(p.etaSeconds, tr.lang) }));
  return lines;
}
