/**
 * The tray icon and its menu, rebuilt from each status event (tray-model.ts decides what they say).
 * Icons: assets/tray-<ok|warn|error|running>.png (16 px, with @2x) — 32 px variants on Linux, whose trays are larger.
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { join } from 'node:path';
import type { StatusDto } from '../contract/api.js';
import type { Lang } from '../../locales/format.js';
import { trayModel, type TrayAction, type TrayIconName } from './tray-model.js';

export interface TrayOptions {
  assetsDir: string;
  lang: () => Lang;
  onAction: (action: TrayAction) => void;
}

export class RempartTray {
  private readonly tray: Tray;
  private readonly icons = new Map<TrayIconName, NativeImage>();
  private lastKey = '';

  constructor(private readonly opts: TrayOptions) {
    this.tray = new Tray(this.icon('warn'));
    this.tray.on('click', () => opts.onAction('open'));
    this.update(null);
  }

  private icon(name: TrayIconName): NativeImage {
    let image = this.icons.get(name);
    if (!image) {
      const size = process.platform === 'linux' ? '-32' : '';
      image = nativeImage.createFromPath(join(this.opts.assetsDir, `tray-${name}${size}.png`));
      this.icons.set(name, image);
    }
    return image;
  }

  update(status: StatusDto | null): void {
    const model = trayModel(status, this.opts.lang());
    const key = JSON.stringify(model);
    if (key === this.lastKey) return; // status events are frequent during a run; rebuild only on change
    this.lastKey = key;
    this.tray.setImage(this.icon(model.icon));
    this.tray.setToolTip(model.tooltip);
    const template: MenuItemConstructorOptions[] = [];
    for (const item of model.items) {
      if (item.separatorBefore) template.push({ type: 'separator' });
      const action = item.action;
      template.push({
        label: item.label,
        enabled: item.enabled,
        click: action ? () => this.opts.onAction(action) : undefined,
      });
    }
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
