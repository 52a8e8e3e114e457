/** Optional e-mail alerts over SMTP with nodemailer. The SMTP password lives in the SecretStore ("smtp-password"). */
import nodemailer from 'nodemailer';
import type { AlertSettingsDto } from '../../contract/api.js';
import { HostError } from '../errors.js';

export type EmailSettings = NonNullable<AlertSettingsDto['email']>;

export async function sendMail(email: EmailSettings, password: string | null, subject: string, text: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: email.host,
    port: email.port,
    secure: email.secure,
    auth: email.username ? { user: email.username, pass: password ?? '' } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    // Loopback test servers have no certificate; real servers are verified.
    tls: isLoopback(email.host) ? { rejectUnauthorized: false } : undefined,
  });
  try {
    await transport.sendMail({ from: email.from, to: email.to, subject, text });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const map = code === 'EAUTH' ? 'AUTH_FAILED' : code === 'ETLS' ? 'TLS_ERROR' : 'NETWORK_UNREACHABLE';
    throw new HostError(map, `SMTP ${email.host}:${email.port}: ${(err as Error).message}`, { host: email.host });
  } finally {
    transport.close();
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}
