/**
 * A loopback TCP proxy that misbehaves on purpose (a test helper without dependencies; Toxiproxy cannot be had here).
 * Port of the research appendix A proxy (shared/research/webdav-and-peers.md).
 *   cutAfter: bytes forwarded in `dir` ('up' = client->server, 'down', 'both') on one connection before the fault
 *   mode: 'reset' (RST both sides), 'close' (FIN both sides), 'stall' (stop reading and forwarding; sockets stay open,
 *         so TCP backpressure reaches the sender: a real black hole)
 *   latencyMs: one-way delay added to every chunk; bps: bandwidth cap (bytes/s) per direction per connection
 *   failConnections: only the first N connections (counted from the last configure()) get the fault; 0 = all
 * The options can be changed while running with configure(); new connections use the new options.
 */
import net from 'node:net';

export type FaultDirection = 'up' | 'down' | 'both';
export type FaultMode = 'reset' | 'close' | 'stall';

export interface FlakyProxyOptions {
  cutAfter?: number;
  dir?: FaultDirection;
  mode?: FaultMode;
  latencyMs?: number;
  bps?: number;
  failConnections?: number;
  /** Network "dies" after this many bytes went up in total (all connections, since configure()): every connection
   *  is reset and new ones are reset at once, until the next configure(). */
  upBudget?: number;
}

export interface FlakyProxyStats {
  connections: number;
  faults: number;
  up: number;
  down: number;
}

export interface FlakyProxy {
  port: number;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  stats: FlakyProxyStats;
  configure(opts: FlakyProxyOptions): void;
  /** Destroys every open connection (a cable pulled), keeps listening. */
  dropAll(): void;
  close(): Promise<void>;
}

const CLEAN: Required<FlakyProxyOptions> = {
  cutAfter: Infinity,
  dir: 'up',
  mode: 'reset',
  latencyMs: 0,
  bps: Infinity,
  failConnections: 0,
  upBudget: Infinity,
};

export async function createFlakyProxy(
  target: { port: number; host?: string },
  options: FlakyProxyOptions = {},
): Promise<FlakyProxy> {
  const targetHost = target.host ?? '127.0.0.1';
  let opts = { ...CLEAN, ...options };
  let faultyLeft = opts.failConnections;
  let upTotal = 0;
  let dead = false;
  const sockets = new Set<net.Socket>();
  const stats: FlakyProxyStats = { connections: 0, faults: 0, up: 0, down: 0 };

  const server = net.createServer((client) => {
    stats.connections++;
    if (dead) {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const o = opts; // options as of this connection's start
    const hasFault = o.cutAfter !== Infinity;
    let faulty = false;
    if (hasFault) {
      if (o.failConnections === 0) faulty = true;
      else if (faultyLeft > 0) {
        faultyLeft--;
        faulty = true;
      }
    }
    const upstream = net.connect(target.port, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (!faulted || o.mode !== 'stall') client.destroy();
    });
    let faulted = false;
    const fault = () => {
      if (faulted) return;
      faulted = true;
      stats.faults++;
      if (o.mode === 'reset') {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      } else if (o.mode === 'close') {
        client.end();
        upstream.end();
      } else {
        client.pause();
        upstream.pause();
      }
    };
    const pipe = (from: net.Socket, to: net.Socket, key: 'up' | 'down') => {
      const HW = 256 * 1024;
      const q: { buf: Buffer; at: number }[] = [];
      let counted = 0;
      let queued = 0;
      let nextFree = 0;
      let timer: NodeJS.Timeout | null = null;
      let ended = false;
      const pump = () => {
        timer = null;
        while (q.length && q[0]!.at <= Date.now()) {
          const { buf } = q.shift()!;
          queued -= buf.length;
          if (!faulted) to.write(buf);
        }
        if (queued < HW && !faulted && !to.writableNeedDrain) from.resume();
        if (q.length) timer = setTimeout(pump, q[0]!.at - Date.now());
        else if (ended && !faulted) to.end();
      };
      from.on('data', (buf: Buffer) => {
        if (faulted) return;
        if (key === 'up' && opts.upBudget !== Infinity) {
          upTotal += buf.length; // the budget is global and always follows the latest configure()
          if (upTotal > opts.upBudget) {
            dead = true;
            stats.faults++;
            for (const s of sockets) {
              try {
                s.resetAndDestroy();
              } catch {
                s.destroy();
              }
            }
            return;
          }
        }
        if (faulty && (o.dir === key || o.dir === 'both')) {
          if (counted + buf.length > o.cutAfter) {
            const keep = Math.max(0, o.cutAfter - counted);
            counted += keep;
            if (keep) to.write(buf.subarray(0, keep));
            fault();
            return;
          }
          counted += buf.length;
        }
        stats[key] += buf.length;
        const now = Date.now();
        nextFree = Math.max(now, nextFree) + (o.bps === Infinity ? 0 : (buf.length / o.bps) * 1000);
        q.push({ buf, at: Math.max(now + o.latencyMs, nextFree) });
        queued += buf.length;
        if (queued >= HW || !to.writable || to.writableNeedDrain) from.pause();
        if (!timer) pump();
      });
      to.on('drain', () => {
        if (queued < HW && !faulted) from.resume();
      });
      from.on('end', () => {
        ended = true;
        if (!timer && !q.length && !faulted) to.end();
      });
    };
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    stats,
    configure(next) {
      opts = { ...CLEAN, ...next };
      faultyLeft = opts.failConnections;
      upTotal = 0;
      dead = false;
    },
    dropAll() {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
