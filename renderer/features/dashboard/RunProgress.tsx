// @jsxRuntime automatic
/** Live progress of one running copy. */
import type { RunProgressDto } from '../../../electron/contract/api.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { useT } from '../../i18n/use-t.js';
import { progressLines } from '../../lib/progress-text.js';

export function RunProgress({ progress, copy }: { progress: RunProgressDto; copy: string }) {
  const tr = useT();
  const max = progress.bytesTotal ?? progress.filesTotal;
  const value = progress.bytesTotal !== null ? progress.bytesDone : progress.filesDone;
  return (
    <div className="run-progress" data-testid="run-progress">
      <p className="run-phase">{tr.t(`run.phase.${progress.phase}`)}</p>
      <ProgressBar value={value} max={progress.phase === 'backing-up' ? max : null} label={tr.t('run.progressLabel', { copy })} />
      <p className="run-numbers">{progressLines(progress, tr).join(' · ')}</p>
      {progress.currentFile && <p className="run-file" title={progress.currentFile}>{progress.currentFile}</p>}
    </div>
  );
}
