/**
 * Test-only servers for answers real servers rarely give on demand: a tiny in-memory WebDAV endpoint that answers
 * PUT with a chosen status (507, 503 + Retry-After) or stores fewer bytes than it received, and an HTTPS server
 * with a freshly generated self-signed certificate. Loopback, random ports.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import tls from 'node:tls';
import { join } from 'node:path';

export interface MisbehavingOptions {
  /** Status answered to every PUT (after reading the body). */
  put?: number;
  retryAfter?: string;
  /** Store this many bytes fewer than received (a silently truncating server). */
  truncateBy?: number;
  /** Content-MD5 ETags (like sabre); from the n-th PUT on (1-based), the stored bytes differ from the received ones (same size). */
  corruptFromPut?: number;
}

export interface MisbehavingServer {
  origin: string;
  count(method: string): number;
  close(): Promise<void>;
}

export async function startMisbehavingServer(o: MisbehavingOptions): Promise<MisbehavingServer> {
  const files = new Map<string, number>();
  const md5s = new Map<string, string>();
  let puts = 0;
  const dirs = new Set<string>(['/']);
  const counts = new Map<string, number>();
  const norm = (u: string) => decodeURIComponent(new URL(u, 'http://x').pathname).replace(/\/+$/, '') || '/';
  const propfind = (res: ServerResponse, href: string, size: number | null, md5?: string) => {
    const etag = md5 ? `<d:getetag>"${md5}"</d:getetag>` : '';
    const prop = size === null ? '<d:resourcetype><d:collection/></d:resourcetype>'
      : `<d:resourcetype/><d:getcontentlength>${size}</d:getcontentlength>${etag}`;
    res.writeHead(207, { 'Content-Type': 'application/xml' }).end(
      `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>${href}</d:href>` +
        `<d:propstat><d:prop>${prop}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`,
    );
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? '';
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const path = norm(req.url ?? '/');
    let bytes = 0;
    const hash = createHash('md5');
    let first = true;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (first && method === 'PUT' && o.corruptFromPut && puts + 1 >= o.corruptFromPut && c.length > 0) {
        c = Buffer.from(c);
        c[0] = c[0]! ^ 0xff; // the disk "flips" a byte
      }
      first = false;
      hash.update(c);
    });
    req.on('end', () => {
      if (method === 'PROPFIND') {
        if (dirs.has(path)) return propfind(res, req.url ?? '/', null);
        if (files.has(path)) return propfind(res, req.url ?? '/', files.get(path)!, md5s.get(path));
        return res.writeHead(404).end();
      }
      if (method === 'MKCOL') {
        dirs.add(path);
        return res.writeHead(201).end();
      }
      if (method === 'PUT') {
        if (o.put) return res.writeHead(o.put, o.retryAfter ? { 'Retry-After': o.retryAfter } : {}).end();
        puts++;
        files.set(path, Math.max(0, bytes - (o.truncateBy ?? 0)));
        if (o.corruptFromPut) md5s.set(path, hash.digest('hex'));
        return res.writeHead(201).end();
      }
      if (method === 'MOVE') {
        const dest = norm(String(req.headers.destination ?? ''));
        const size = files.get(path);
        if (size === undefined) return res.writeHead(404).end();
        files.delete(path);
        files.set(dest, size);
        const m = md5s.get(path);
        if (m) md5s.set(dest, m);
        return res.writeHead(201).end();
      }
      if (method === 'DELETE') {
        files.delete(path);
        return res.writeHead(204).end();
      }
      res.writeHead(405).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    count: (m) => counts.get(m) ?? 0,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** A self-signed certificate for DNS:localhost only (127.0.0.1 does not match it). */
function makeCert(): { dir: string; key: Buffer; cert: Buffer; certPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rempart-tls-'));
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
    '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { dir, key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')), certPath: join(dir, 'cert.pem') };
}

/** TLS in front of a plain loopback server (HTTPS to Apache), with its certificate file for NODE_EXTRA_CA_CERTS. */
export async function startTlsTerminator(targetPort: number): Promise<{ port: number; certPath: string; close(): Promise<void> }> {
  const { dir, key, cert, certPath } = makeCert();
  const socks = new Set<net.Socket>();
  const server = tls.createServer({ key, cert }, (client) => {
    const up = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, up] as net.Socket[]) {
      socks.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => socks.delete(s));
    }
    client.pipe(up).pipe(client);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  return {
    port: (server.address() as net.AddressInfo).port,
    certPath,
    close: () => new Promise<void>((res) => {
      for (const s of socks) s.destroy();
      server.close(() => {
        rmSync(dir, { recursive: true, force: true });
        res();
      });
    }),
  };
}

export async function startSelfSignedServer(): Promise<{ port: number; requests(): number; close(): Promise<void> }> {
  const { dir, key, cert } = makeCert();
  let n = 0;
  const server = createHttpsServer({ key, cert }, (_req, res) => {
    n++;
    res.writeHead(207).end();
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    requests: () => n,
    close: () => new Promise<void>((res) => {
      server.closeAllConnections();
      server.close(() => {
        rmSync(dir, { recursive: true, force: true });
        res();
      });
    }),
  };
}
