/** The WebDAV target's public surface (imported by engine/jobs and engine/index.ts). */
export { WebdavStore, type WebdavStoreOptions } from './webdav-store.js';
export { testConnection, type ConnectionReport } from './test-connection.js';
export { parseWebdavUrl, isLoopbackAddress, isPrivateAddress } from './url-policy.js';
export type { RetryPolicy } from './retry.js';
