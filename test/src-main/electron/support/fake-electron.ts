/**
 * A recording stand-in for the `electron` module (there is no Electron binary here). Tests mock
 * `electron` with `electronModule` and read what the shell did from `fake`. Property access is
 * live (getters), so `resetFakeElectron()` gives each test fresh objects.
 */
import { EventEmitter } from 'node:events';
import { FakeAsyncSafeStorage } from './fake-async-safe-storage.js';

type Listener = (...args: never[]) => unknown;

/** An Electron-style event whose default can be prevented. */
export function preventableEvent(
  extra: Record<string, unknown> = {},
): { defaultPrevented: boolean; preventDefault(): void } & Record<string, unknown> {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** Chromium's command line as `app.commandLine` shows it; `given` plays switches the person passed. */
export class FakeCommandLine {
  readonly switches = new Map<string, string>();
  readonly appended: { readonly name: string; readonly value: string | undefined; readonly beforeReady: boolean }[] =
    [];
  constructor(private readonly app: FakeApp) {}
  given(name: string, value = ''): void {
    this.switches.set(name, value);
  }
  appendSwitch(name: string, value?: string): void {
    this.appended.push({ name, value, beforeReady: !this.app.isReady });
    this.switches.set(name, value ?? '');
  }
  hasSwitch(name: string): boolean {
    return this.switches.has(name);
  }
  getSwitchValue(name: string): string {
    return this.switches.get(name) ?? '';
  }
}

export class FakeApp extends EventEmitter {
  readonly commandLine = new FakeCommandLine(this);
  isPackaged = false;
  lockResult = true;
  readonly lockData: unknown[] = [];
  readonly protocolClients: unknown[][] = [];
  readonly paths = new Map<string, string>([['userData', '/nonexistent-user-data']]);
  quitCalls = 0;
  exited = false;
  isReady = false;
  private resolveReady: () => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));

  requestSingleInstanceLock(additionalData?: unknown): boolean {
    this.userDataAtLock = this.paths.get('userData');
    this.lockData.push(additionalData);
    return this.lockResult;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Plays Electron's `ready`. */
  makeReady(): void {
    this.isReady = true;
    this.resolveReady();
    this.emit('ready');
  }
  /** Plays Electron's quit: `before-quit` may be prevented; otherwise the app exits. */
  quit(): void {
    this.quitCalls += 1;
    const event = preventableEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.exited = true;
  }
  setAsDefaultProtocolClient(...args: unknown[]): boolean {
    this.protocolClients.push(args);
    return true;
  }
  setAppUserModelId(): void {}
  sandboxEnabledBeforeReady: boolean | null = null;
  enableSandbox(): void {
    this.sandboxEnabledBeforeReady = !this.isReady;
  }
  /** What userData was when the single-instance lock was taken. */
  userDataAtLock: string | undefined;
  setPath(name: string, value: string): void {
    // Like Electron: "Path must be absolute".
    if (!value.startsWith('/')) throw new Error('Path must be absolute');
    this.paths.set(name, value);
  }
  getPath(name: string): string {
    return this.paths.get(name) ?? `/nonexistent-${name}`;
  }
  getVersion(): string {
    return '0.1.0';
  }
}

export class FakeWebContents extends EventEmitter {
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  devToolsClosed = 0;
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return false;
  }
  closeDevTools(): void {
    this.devToolsClosed += 1;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  visible = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
    // Electron emits web-contents-created for every new webContents.
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
    if (FakeBrowserWindow.instances.every((window) => window.destroyed)) fake.app.emit('window-all-closed');
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 10, y: 20, width: 900, height: 700 };
  }
  /** Plays the person closing the window; returns whether the close was prevented. */
  close(): boolean {
    const event = preventableEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
    return event.defaultPrevented;
  }
}

export class FakeTray {
  static instances: FakeTray[] = [];
  menus: { template: unknown[] }[] = [];
  toolTip = '';
  destroyed = false;
  constructor(readonly image: unknown) {
    FakeTray.instances.push(this);
  }
  setContextMenu(menu: { template: unknown[] }): void {
    this.menus.push(menu);
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function createState() {
  const app = new FakeApp();
  return {
    app,
    privilegedSchemes: [] as { readonly schemes: unknown; readonly beforeReady: boolean }[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
    ipcHandlers: new Map<string, Listener>(),
    removedIpcHandlers: [] as string[],
    permissionRequestHandler: null as Listener | null,
    permissionCheckHandler: null as Listener | null,
    openedExternally: [] as string[],
    /** Text written by the main process with clipboard.writeText (the gateway key). */
    clipboard: [] as string[],
    errorBoxes: [] as [string, string][],
    messageBoxes: [] as { readonly message: string }[],
    exposed: new Map<string, unknown>(),
    safeStorage: new FakeAsyncSafeStorage({ backend: 'gnome_libsecret' }),
    nativeTheme: { themeSource: 'system' as string },
    ipcRenderer: Object.assign(new EventEmitter(), {
      invocations: [] as [string, unknown][],
      invoke(channel: string, payload: unknown): Promise<unknown> {
        this.invocations.push([channel, payload]);
        return Promise.resolve({ ok: false, error: { code: 'internal', message: 'fake' } });
      },
    }),
  };
}

export let fake = createState();

export function resetFakeElectron(): void {
  fake = createState();
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
}

const electron = {
  get app() {
    return fake.app;
  },
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
  nativeImage: {
    createFromDataURL: (url: string) => ({ dataUrl: url, isEmpty: () => false }),
    createFromPath: (path: string) => ({ path, isEmpty: () => false }),
  },
  get nativeTheme() {
    return fake.nativeTheme;
  },
  get safeStorage() {
    return fake.safeStorage;
  },
  protocol: {
    registerSchemesAsPrivileged(schemes: unknown) {
      fake.privilegedSchemes.push({ schemes, beforeReady: !fake.app.isReady });
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      fake.protocolHandlers.set(scheme, handler);
    },
    unhandle(scheme: string) {
      fake.protocolHandlers.delete(scheme);
    },
  },
  ipcMain: {
    handle(channel: string, listener: Listener) {
      if (fake.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      fake.ipcHandlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      fake.ipcHandlers.delete(channel);
      fake.removedIpcHandlers.push(channel);
    },
    on() {},
    removeListener() {},
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler(handler: Listener) {
        fake.permissionRequestHandler = handler;
      },
      setPermissionCheckHandler(handler: Listener) {
        fake.permissionCheckHandler = handler;
      },
    },
  },
  shell: {
    openExternal(url: string) {
      fake.openedExternally.push(url);
      return Promise.resolve();
    },
    openPath() {
      return Promise.resolve('');
    },
  },
  clipboard: {
    writeText(text: string) {
      fake.clipboard.push(text);
      return Promise.resolve();
    },
  },
  dialog: {
    showErrorBox(title: string, message: string) {
      fake.errorBoxes.push([title, message]);
    },
    showMessageBox(options: { readonly message: string }) {
      fake.messageBoxes.push(options);
      return Promise.resolve({ response: 0, checkboxChecked: false });
    },
  },
  contextBridge: {
    exposeInMainWorld(key: string, value: unknown) {
      fake.exposed.set(key, value);
    },
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
};

/** What `vi.mock('electron', …)` returns: live named exports plus the default export electron-store uses. */
export function electronMockFactory(): Record<string, unknown> {
  const module: Record<string, unknown> = {};
  for (const key of Object.keys(electron)) {
    Object.defineProperty(module, key, { enumerable: true, get: () => (electron as Record<string, unknown>)[key] });
  }
  Object.defineProperty(module, 'default', { enumerable: true, value: electron });
  return module;
}
