/** Typed paths must be complete (absolute) — the main process refuses relative ones; say so before sending. */
export function isAbsolutePath(value: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value.trim());
}
