/**
 * THE boundary between the UI and the main process. One typed contract, served two ways:
 *  - Electron: the preload exposes one function per method (window.rempart), the shell validates and routes it;
 *  - browser mode / e2e: the loopback bridge serves POST /api/<method> and GET /api/events (SSE), token required.
 * Every method takes at most one JSON payload and resolves to a Result (never throws across the boundary).
 * Plain-language text is NOT here: the renderer builds sentences from these facts (renderer/i18n).
 * This file imports only ./errors.
 */
import type { ErrorInfo, Result } from './errors.js';

export type TargetKind = 'usb' | 'cloud';

/** à jour / en cours / en retard / en échec / jamais sauvegardé / clé absente / non configuré */
export type TargetState = 'ok' | 'running' | 'stale' | 'failed' | 'never' | 'absent' | 'unconfigured';

/** green only when both copies are fresh and verified. */
export type OverallLevel = 'green' | 'orange' | 'red' | 'running' | 'setup';

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6; // 0 = Sunday (cron)

export type Schedule =
  | { kind: 'daily'; time: string /* "19:30" */; days: Weekday[] /* empty = every day */ }
  | { kind: 'hourly'; from: number; to: number; days: Weekday[]; minute: number }
  | { kind: 'cron'; expression: string };

export interface RetentionDto {
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
  keepYearly: number; // -1 = every year
}

export interface UsbTargetDto {
  id: string;
  label: string; // "Sauvegarde Boutique"
  driveId: string; // from the marker file written at enrolment
  schedule: Schedule;
  onPlug: boolean;
  staleAfterHours: number;
  retention: RetentionDto;
  pingUrl?: string;
  enabled: boolean;
}

export interface CloudTargetDto {
  id: string;
  url: string; // https://host/path/ — never contains the password
  username: string;
  schedule: Schedule;
  staleAfterHours: number;
  retention: RetentionDto;
  bandwidthLimitKBps?: number;
  allowInsecureHttp?: boolean;
  pingUrl?: string;
  enabled: boolean;
}

export interface AlertSettingsDto {
  desktopNotifications: boolean;
  email?: { to: string; from: string; host: string; port: number; secure: boolean; username?: string };
}

export interface SettingsDto {
  version: number;
  language: 'fr' | 'en';
  sources: string[];
  excludes: string[];
  usb?: UsbTargetDto;
  cloud?: CloudTargetDto;
  alerts: AlertSettingsDto;
  drillIntervalDays: number;
  /** Start at login, hidden in the tray. */
  startAtLogin: boolean;
}

export interface RunProgressDto {
  phase: 'scanning' | 'backing-up' | 'finishing' | 'verifying' | 'pruning';
  filesDone: number;
  filesTotal: number | null;
  bytesDone: number;
  bytesTotal: number | null;
  bytesStored: number;
  currentFile: string | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export interface VerificationDto {
  at: string; // ISO
  kind: 'after-run' | 'sample' | 'drill';
  ok: boolean;
  detail?: string;
}

export interface TargetStatusDto {
  id: string;
  kind: TargetKind;
  /** Drive label or server host, for sentences ("Branchez la clé « Sauvegarde Boutique »"). */
  label: string;
  state: TargetState;
  lastSuccessAt: string | null;
  lastRunAt: string | null;
  nextRunAt: string | null;
  staleAfterHours: number;
  lastVerification: VerificationDto | null;
  lastDrill: VerificationDto | null;
  /** The last run's error when state is failed (or the reason it is absent). */
  error: ErrorInfo | null;
  progress: RunProgressDto | null;
  snapshotCount: number;
  freeBytes: number | null;
  /** Drive currently connected (usb) / server reached at last attempt (cloud). */
  available: boolean;
  drillDue: boolean;
}

export interface StatusDto {
  now: string;
  timeZone: string;
  configured: boolean;
  overall: OverallLevel;
  targets: TargetStatusDto[];
}

export type RunTrigger = 'schedule' | 'manual' | 'plug' | 'catch-up' | 'drill' | 'verify';
export type RunOutcome = 'success' | 'partial' | 'failed' | 'cancelled' | 'interrupted' | 'running';

export interface JournalEntryDto {
  runId: string;
  targetId: string;
  kind: TargetKind;
  trigger: RunTrigger;
  startedAt: string;
  endedAt: string | null;
  outcome: RunOutcome;
  files: number;
  bytesRead: number;
  bytesStored: number;
  snapshotId: string | null;
  skipped: { path: string; reason: string }[];
  error: ErrorInfo | null;
  verification: VerificationDto | null;
}

export interface DriveDto {
  mountPath: string;
  label: string | null;
  freeBytes: number | null;
  totalBytes: number | null;
  /** The target id when a Rempart marker is on the drive. */
  enrolledTargetId: string | null;
}

export interface WebdavTestDto {
  url: string;
  username: string;
  password: string;
  allowInsecureHttp?: boolean;
}

export interface WebdavTestResultDto {
  reachable: boolean;
  freeBytes: number | null;
  hasRepository: boolean;
}

export interface SetupDto {
  sources: string[];
  excludes: string[];
  usb?: { mountPath: string; label: string };
  cloud?: WebdavTestDto;
  passphrase: string;
  language: 'fr' | 'en';
}

export interface SetupResultDto {
  /** Shown once; the renderer prints it on the recovery sheet. */
  recoveryKey: string;
  repoIds: string[];
}

export interface SourceSuggestionDto {
  path: string;
  kind: 'documents' | 'desktop' | 'pictures' | 'accounting';
  name: string;
}

export type RestoreFromDto =
  | { kind: 'usb' }
  | { kind: 'cloud' }
  | { kind: 'folder'; path: string } // a drive or folder on a new computer
  | { kind: 'webdav'; url: string; username: string; password: string; allowInsecureHttp?: boolean };

export type SecretDto = { passphrase: string } | { recoveryKey: string };

export interface RestorePointDto {
  snapshotId: string;
  time: string;
  host: string;
  files: number;
  totalBytes: number;
  /** Which configured copies hold this point (matched by snapshot time and content). */
  copies: TargetKind[];
}

export interface RestoreFileDto {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  mtime: string;
}

export interface RestoreRequestDto {
  sessionId: string;
  snapshotId: string;
  include: string[]; // empty = everything
  target: { kind: 'original' } | { kind: 'folder'; path: string };
  secret: SecretDto;
}

export interface RestoreResultDto {
  filesRestored: number;
  bytesRestored: number;
  keptAside: { path: string; keptAs: string }[];
  unchanged: number;
  errors: { path: string; message: string }[];
  targetFolder: string;
}

export interface DrillResultDto {
  targetId: string;
  ok: boolean;
  filesChecked: number;
  filesMatching: number;
  filesChangedSince: number;
  mismatches: { path: string; message: string }[];
}

export interface AlertDto {
  at: string;
  targetId: string | null;
  reason: 'failure' | 'stale' | 'recovered' | 'drill-due' | 'drive-safe-to-remove' | 'test';
  title: string;
  body: string;
}

/** One method per action. Payloads are plain JSON; results are Result<T>. */
export interface RempartApi {
  getStatus(): Promise<Result<StatusDto>>;
  getSettings(): Promise<Result<SettingsDto | null>>;
  updateSettings(patch: Partial<Omit<SettingsDto, 'version'>>): Promise<Result<SettingsDto>>;
  suggestSources(): Promise<Result<SourceSuggestionDto[]>>;
  listDrives(): Promise<Result<DriveDto[]>>;
  testWebdav(req: WebdavTestDto): Promise<Result<WebdavTestResultDto>>;
  completeSetup(req: SetupDto): Promise<Result<SetupResultDto>>;
  setWebdavPassword(req: { password: string }): Promise<Result<true>>;
  backupNow(req: { target?: TargetKind }): Promise<Result<true>>;
  cancelRun(req: { target?: TargetKind }): Promise<Result<true>>;
  getHistory(req: { target?: TargetKind; limit?: number }): Promise<Result<JournalEntryDto[]>>;
  getAlerts(req: { limit?: number }): Promise<Result<AlertDto[]>>;
  openRestoreSource(req: { from: RestoreFromDto; secret?: SecretDto }): Promise<Result<{ sessionId: string }>>;
  listRestorePoints(req: { sessionId: string }): Promise<Result<RestorePointDto[]>>;
  listRestoreFiles(req: { sessionId: string; snapshotId: string; secret?: SecretDto }): Promise<Result<RestoreFileDto[]>>;
  startRestore(req: RestoreRequestDto): Promise<Result<RestoreResultDto>>;
  startDrill(req: { target: TargetKind; secret: SecretDto }): Promise<Result<DrillResultDto>>;
  changePassphrase(req: { current: SecretDto; next: string }): Promise<Result<true>>;
  sendTestEmail(): Promise<Result<true>>;
  getMonthlyReport(req: { month: string /* YYYY-MM */ }): Promise<Result<{ html: string }>>;
  openPath(req: { path: string }): Promise<Result<true>>;
}

export type ApiMethod = keyof RempartApi;
export type ApiPayload<M extends ApiMethod> = Parameters<RempartApi[M]> extends [infer P] ? P : undefined;
export type ApiValue<M extends ApiMethod> = Awaited<ReturnType<RempartApi[M]>> extends Result<infer T> ? T : never;

export const API_METHODS = [
  'getStatus',
  'getSettings',
  'updateSettings',
  'suggestSources',
  'listDrives',
  'testWebdav',
  'completeSetup',
  'setWebdavPassword',
  'backupNow',
  'cancelRun',
  'getHistory',
  'getAlerts',
  'openRestoreSource',
  'listRestorePoints',
  'listRestoreFiles',
  'startRestore',
  'startDrill',
  'changePassphrase',
  'sendTestEmail',
  'getMonthlyReport',
  'openPath',
] as const satisfies readonly ApiMethod[];

/** Events pushed from the main process (IPC 'rempart:event' / SSE). */
export interface RempartEvents {
  status: StatusDto;
  progress: { targetId: string; kind: TargetKind; progress: RunProgressDto };
  restoreProgress: { sessionId: string; filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number; currentFile: string | null };
  alert: AlertDto;
  /** The shell asks the UI to show a screen (a notification was clicked, the tray menu was used). */
  navigate: { screen: 'dashboard' | 'history' | 'settings' | 'restore' };
}

export type EventName = keyof RempartEvents;
export const EVENT_NAMES = ['status', 'progress', 'restoreProgress', 'alert', 'navigate'] as const satisfies readonly EventName[];

/** What the renderer gets (preload or bridge client): the API plus an event subscription. */
export interface RempartClient extends RempartApi {
  on<E extends EventName>(event: E, listener: (payload: RempartEvents[E]) => void): () => void;
}

export const IPC_INVOKE_PREFIX = 'rempart:';
export const IPC_EVENT_CHANNEL = 'rempart:event';
