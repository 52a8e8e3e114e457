/**
 * The shape of the one bound store: each slice's state and its actions (named as events, not setters).
 * Declared here, apart from the slice files, so slices and the store can share types without import cycles.
 */
import type {
  AlertDto, DriveDto, JournalEntryDto, RestoreFileDto, RestorePointDto, RestoreResultDto, RempartEvents, SettingsDto,
  SourceSuggestionDto, StatusDto, TargetKind, WebdavTestResultDto, DrillResultDto, SecretDto,
} from '../../electron/contract/api.js';
import type { ErrorInfo } from '../../electron/contract/errors.js';
import type { Lang } from '../../locales/index.js';

export type Screen = 'dashboard' | 'history' | 'settings' | 'restore' | 'setup';

export interface UiSlice {
  screen: Screen;
  lang: Lang;
  connected: boolean;
  booted: boolean;
  bootError: ErrorInfo | null;
  navigated(screen: Screen): void;
  languageChosen(lang: Lang): Promise<void>;
  connectionChanged(connected: boolean): void;
  bootRequested(): Promise<void>;
}

export interface StatusSlice {
  status: StatusDto | null;
  statusError: ErrorInfo | null;
  statusReceived(status: StatusDto): void;
  progressReceived(event: RempartEvents['progress']): void;
  statusRequested(): Promise<void>;
}

export interface DrillState {
  target: TargetKind;
  running: boolean;
  result: DrillResultDto | null;
  error: ErrorInfo | null;
}

export interface RunSlice {
  runError: ErrorInfo | null;
  cancelling: boolean;
  drill: DrillState | null;
  backupRequested(target?: TargetKind): Promise<void>;
  cancelRequested(target?: TargetKind): Promise<void>;
  drillOpened(target: TargetKind | null): void;
  drillRequested(target: TargetKind, secret: SecretDto): Promise<void>;
}

export interface SettingsSlice {
  /** undefined = not loaded yet; null = never configured (first run). */
  settings: SettingsDto | null | undefined;
  settingsBusy: boolean;
  settingsError: ErrorInfo | null;
  settingsNotice: string | null;
  settingsLoaded(settings: SettingsDto | null): void;
  settingsSaveRequested(patch: Partial<Omit<SettingsDto, 'version'>>, notice?: string): Promise<boolean>;
  settingsNoticeShown(notice: string | null, error?: ErrorInfo | null): void;
}

export interface HistorySlice {
  history: JournalEntryDto[];
  historyFilter: TargetKind | 'all';
  historyLoading: boolean;
  historyError: ErrorInfo | null;
  alerts: AlertDto[];
  /** The last alert pushed while the window is open, until dismissed. */
  freshAlert: AlertDto | null;
  historyRequested(filter?: TargetKind | 'all'): Promise<void>;
  alertReceived(alert: AlertDto): void;
  alertsRequested(): Promise<void>;
  alertDismissed(): void;
}

export type CloudTest =
  | { state: 'idle' }
  | { state: 'testing' }
  | { state: 'ok'; result: WebdavTestResultDto; testedFor: string }
  | { state: 'error'; error: ErrorInfo };

export interface SetupState {
  step: number; // 0 folders, 1 usb, 2 cloud, 3 passphrase, 4 recovery sheet
  suggestions: SourceSuggestionDto[];
  sources: string[];
  drives: DriveDto[] | null;
  usb: { mountPath: string; label: string } | null;
  usbSkipped: boolean;
  cloud: { url: string; username: string; password: string };
  cloudSkipped: boolean;
  cloudTest: CloudTest;
  passphrase: string;
  passphraseAgain: string;
  busy: boolean;
  error: ErrorInfo | null;
  recoveryKey: string | null;
  createdAt: string | null;
  sheetConfirmed: boolean;
}

export interface SetupSlice {
  setup: SetupState;
  setupOpened(): Promise<void>;
  setupChanged(patch: Partial<SetupState>): void;
  drivesRequested(): Promise<void>;
  cloudTestRequested(): Promise<void>;
  setupSubmitted(): Promise<void>;
  firstBackupRequested(): Promise<void>;
}

export type RestoreFrom = 'usb' | 'cloud' | 'other';

export interface RestoreState {
  step: number; // 0 from, 1 date, 2 what, 3 where, 4 secret, 5 progress/summary
  from: RestoreFrom;
  otherKind: 'folder' | 'webdav';
  folderPath: string;
  webdav: { url: string; username: string; password: string };
  secretKind: 'passphrase' | 'recoveryKey';
  secret: string;
  sessionId: string | null;
  points: RestorePointDto[] | null;
  snapshotId: string | null;
  mode: 'all' | 'some';
  files: RestoreFileDto[] | null;
  include: string[];
  targetKind: 'original' | 'folder';
  targetFolder: string;
  busy: boolean;
  error: ErrorInfo | null;
  progress: RempartEvents['restoreProgress'] | null;
  result: RestoreResultDto | null;
}

export interface RestoreSlice {
  restore: RestoreState;
  restoreChanged(patch: Partial<RestoreState>): void;
  restoreReset(): void;
  restoreSourceOpened(): Promise<void>;
  restorePointChosen(snapshotId: string): void;
  restoreFilesRequested(): Promise<void>;
  restoreStarted(): Promise<void>;
  restoreProgressReceived(event: RempartEvents['restoreProgress']): void;
}

export type RempartStore = UiSlice & StatusSlice & RunSlice & SettingsSlice & HistorySlice & SetupSlice & RestoreSlice;
