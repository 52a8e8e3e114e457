// @jsxRuntime automatic
import '../../test-support/dom.js';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { SettingsDto } from '../../../electron/contract/api.js';
import { useStore } from '../../store/index.js';
import { connect, resetAll, until } from '../../test-support/harness.js';
import { Settings } from './Settings.js';

afterEach(resetAll);

const retention = { keepDaily: 14, keepWeekly: 8, keepMonthly: 24, keepYearly: -1 };
const settings: SettingsDto = {
  version: 1, language: 'fr', sources: ['/home/b/Documents'], excludes: ['*.tmp'],
  usb: { id: 'usb-1', label: 'Sauvegarde Boutique', driveId: 'd1', schedule: { kind: 'daily', time: '19:30', days: [] }, onPlug: true, staleAfterHours: 36, retention, enabled: true },
  cloud: { id: 'cloud-1', url: 'https://cloud.exemple.fr/dav/', username: 'b', schedule: { kind: 'hourly', from: 9, to: 19, minute: 0, days: [1, 2, 3, 4, 5, 6] }, staleAfterHours: 26, retention, enabled: true },
  alerts: { desktopNotifications: true }, drillIntervalDays: 90, startAtLogin: true,
};
const section = (name: RegExp) => screen.getByRole('heading', { name }).closest('form') as HTMLElement;

test('schedules read in plain words; a changed schedule and bandwidth are saved for that copy only', async (t) => {
  const h = await connect({ updateSettings: (p: Partial<SettingsDto>) => ({ ok: true, value: { ...settings, ...p } }) });
  t.after(h.stop);
  useStore.setState({ settings });
  render(<Settings />);
  const usb = within(section(/Copie sur clé USB/));
  const cloud = within(section(/Copie dans le cloud/));
  assert.ok(usb.getByText('tous les jours à 19 h 30'));
  assert.ok(cloud.getByText('toutes les heures de 9 h à 19 h, du lundi au samedi'));
  fireEvent.click(usb.getByRole('checkbox', { name: 'sam' }));
  fireEvent.click(usb.getByRole('checkbox', { name: 'dim' }));
  assert.ok(usb.getByText('à 19 h 30, du lundi au vendredi'));
  fireEvent.change(cloud.getByLabelText(/Limite de débit/), { target: { value: '500' } });
  fireEvent.click(cloud.getByRole('button', { name: 'Enregistrer' }));
  await until(() => h.server.calls.length === 1);
  const sent = h.server.calls[0].payload as Partial<SettingsDto>;
  assert.deepEqual(Object.keys(sent), ['cloud']);
  assert.equal(sent.cloud!.bandwidthLimitKBps, 500);
  await cloud.findByText('Enregistré.');
  fireEvent.click(usb.getByRole('button', { name: 'Enregistrer' }));
  await until(() => h.server.calls.length === 2);
  assert.deepEqual((h.server.calls[1].payload as Partial<SettingsDto>).usb!.schedule, { kind: 'daily', time: '19:30', days: [1, 2, 3, 4, 5] });
});

test('invalid numbers block saving with a plain message', async (t) => {
  const h = await connect({});
  t.after(h.stop);
  useStore.setState({ settings });
  render(<Settings />);
  const usb = within(section(/Copie sur clé USB/));
  fireEvent.change(usb.getByLabelText(/Prévenir si aucune copie/), { target: { value: 'demain' } });
  assert.ok(usb.getByText('Tapez un nombre entier positif.'));
  assert.equal((usb.getByRole('button', { name: 'Enregistrer' }) as HTMLButtonElement).disabled, true);
});

test('alerts: e-mail settings are saved and « Envoyer un test » reports a plain error', async (t) => {
  const withEmail = { ...settings, alerts: { desktopNotifications: true, email: { to: 'a@b.fr', from: 'r@b.fr', host: 'smtp.b.fr', port: 587, secure: false } } };
  const h = await connect({
    updateSettings: (p: Partial<SettingsDto>) => ({ ok: true, value: { ...withEmail, ...p } }),
    sendTestEmail: () => ({ ok: false, error: { code: 'NETWORK_UNREACHABLE', message: 'ECONNREFUSED', details: { host: 'smtp.b.fr' } } }),
  });
  t.after(h.stop);
  useStore.setState({ settings: withEmail });
  render(<Settings />);
  const alerts = within(section(/Alertes/));
  fireEvent.click(alerts.getByRole('button', { name: 'Envoyer un test' }));
  await alerts.findByText('Le serveur smtp.b.fr ne répond pas.');
  fireEvent.change(alerts.getByLabelText('Envoyer à'), { target: { value: 'patron@b.fr' } });
  fireEvent.click(alerts.getByRole('button', { name: 'Enregistrer' }));
  await until(() => h.server.calls.some((c) => c.method === 'updateSettings'));
  assert.deepEqual((h.server.calls.find((c) => c.method === 'updateSettings')!.payload as Partial<SettingsDto>).alerts, {
    desktopNotifications: true, email: { to: 'patron@b.fr', from: 'r@b.fr', host: 'smtp.b.fr', port: 587, secure: false },
  });
});

test('passphrase change needs the current secret and a strong new phrase typed twice', async (t) => {
  const h = await connect({ changePassphrase: () => ({ ok: true, value: true }) });
  t.after(h.stop);
  useStore.setState({ settings });
  render(<Settings />);
  const pass = within(section(/^Phrase secrète$/));
  const button = pass.getByRole('button', { name: 'Changer la phrase secrète' }) as HTMLButtonElement;
  fireEvent.change(pass.getByLabelText('Nouvelle phrase secrète'), { target: { value: 'cheval agrafe batterie correcte' } });
  fireEvent.change(pass.getByLabelText('Retapez la nouvelle phrase'), { target: { value: 'cheval agrafe batterie correcte' } });
  assert.equal(button.disabled, true, 'the current secret is required');
  fireEvent.change(pass.getByLabelText('Tapez la phrase secrète'), { target: { value: 'ancienne phrase' } });
  assert.equal(button.disabled, false);
  fireEvent.click(button);
  await pass.findByText('Phrase secrète changée. La clé de secours reste valable.');
  assert.deepEqual(h.server.calls.at(-1)!.payload, { current: { passphrase: 'ancienne phrase' }, next: 'cheval agrafe batterie correcte' });
});

test('the cloud password update and the monthly report', async (t) => {
  const h = await connect({
    setWebdavPassword: () => ({ ok: true, value: true }),
    getStatus: () => ({ ok: false, error: { code: 'UNKNOWN', message: 'not needed here' } }),
    getMonthlyReport: (p: { month: string }) => ({ ok: true, value: { html: `<h1>Rapport ${p.month}</h1>` } }),
  });
  t.after(h.stop);
  useStore.setState({ settings });
  render(<Settings />);
  fireEvent.change(screen.getByLabelText('Nouveau mot de passe d’application'), { target: { value: 'new-app-pass' } });
  fireEvent.click(screen.getByRole('button', { name: 'Mettre à jour le mot de passe' }));
  await screen.findByText('Mot de passe mis à jour.');
  assert.deepEqual(h.server.calls.find((c) => c.method === 'setWebdavPassword')!.payload, { password: 'new-app-pass' });
  const report = within(section(/Rapport mensuel/));
  fireEvent.change(report.getByLabelText('Mois'), { target: { value: '2026-10' } });
  fireEvent.click(report.getByRole('button', { name: 'Ouvrir le rapport' }));
  const frame = await report.findByTitle('Rapport mensuel');
  assert.equal(frame.getAttribute('srcdoc'), '<h1>Rapport 2026-10</h1>');
  assert.equal(frame.getAttribute('sandbox'), 'allow-same-origin allow-modals');
});
