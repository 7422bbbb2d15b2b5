import type { Menu, MenuItemConstructorOptions, Tray } from 'electron';
import { assertNever } from '../../src-shared/errors.js';
import type { StatusView } from '../../src-shared/view-models.js';
import type { Logger } from '../log/logger.js';
import type { AuthService, Disposer } from '../core/auth-service.js';
import { buildTrayTemplate, buildTrayToolTip, type TrayAction, type TrayMenuItem } from './tray-template.js';

/**
 * The menu `Menu.buildFromTemplate` returns and `tray.setContextMenu` takes: Electron's own class,
 * not the subclass the 'electron' module exports under the same name.
 */
type BuiltMenu = ReturnType<typeof Menu.buildFromTemplate>;

/** Turns the pure template into Electron's menu template, wiring each item's action to `onAction`. */
export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const { action, ...options } = item;
    return action === undefined ? { ...options } : { ...options, click: () => onAction(action) };
  });
}

/**
 * The tray: a provider switcher rebuilt from `auth.status()` at start and on every status change
 * (main-process state only; nothing the renderer says reaches it). Returns a disposer that
 * unsubscribes and destroys the icon.
 */
export function startTray(deps: {
  readonly createTray: () => Tray;
  readonly buildMenu: (template: MenuItemConstructorOptions[]) => BuiltMenu;
  readonly auth: AuthService;
  readonly onAction: (action: TrayAction) => void;
  readonly logger: Logger;
  /** Offer "Install command-line tool…" (the desktop app, where a launcher can run its executable). */
  readonly commandLineTool?: boolean;
}): Disposer {
  const tray = deps.createTray();
  let disposed = false;
  const render = (status: StatusView): void => {
    if (disposed) return;
    tray.setContextMenu(
      deps.buildMenu(
        toMenuTemplate(buildTrayTemplate(status, { commandLineTool: deps.commandLineTool === true }), deps.onAction),
      ),
    );
    tray.setToolTip(buildTrayToolTip(status));
  };
  const unsubscribe = deps.auth.onDidChangeStatus(render);
  deps.auth
    .status()
    .then(render, (error: unknown) => deps.logger.error('the tray could not read the status', { error }));
  return () => {
    disposed = true;
    unsubscribe();
    tray.destroy();
  };
}

/** Carries out a tray action against the core and the window. */
export function createTrayActionHandler(deps: {
  readonly auth: AuthService;
  readonly showWindow: () => void;
  readonly quit: () => void;
  readonly logger: Logger;
  readonly installCommandLineTool?: () => void;
  readonly uninstallCommandLineTool?: () => void;
}): (action: TrayAction) => void {
  return (action) => {
    switch (action.type) {
      case 'activate': {
        const input =
          action.account !== null
            ? { provider: action.provider, account: action.account }
            : { provider: action.provider };
        deps.auth.setActiveProvider(input).then(
          (result) => {
            if (!result.ok) deps.logger.warn('tray could not switch provider', { code: result.error.code });
          },
          (error: unknown) => deps.logger.error('tray could not switch provider', { error }),
        );
        return;
      }
      case 'sign-in':
      case 'open-window':
        deps.showWindow();
        return;
      case 'install-command-line-tool':
        deps.installCommandLineTool?.();
        return;
      case 'uninstall-command-line-tool':
        deps.uninstallCommandLineTool?.();
        return;
      case 'quit':
        deps.quit();
        return;
      default:
        assertNever(action, 'tray action');
    }
  };
}
