/**
 * Healthchecks.io / Uptime-Kuma-style pings so an IT provider is warned even when the shop PC is off:
 *   start → GET <url>/start, success → GET <url>, failure → GET <url>/fail.
 * Short timeout; failures are ignored (a ping must never fail or slow a backup).
 */
export type PingKind = 'start' | 'success' | 'fail';

export function pingUrlFor(base: string, kind: PingKind): string {
  const u = new URL(base);
  if (kind !== 'success') u.pathname = `${u.pathname.replace(/\/+$/, '')}/${kind}`;
  return u.toString();
}

export async function sendPing(base: string | undefined, kind: PingKind, timeoutMs = 5_000): Promise<boolean> {
  if (!base) return false;
  try {
    const res = await fetch(pingUrlFor(base, kind), { method: 'GET', signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok;
  } catch {
    return false;
  }
}
