// A stand-in for the `electron` module when the BUILT main bundle runs in plain Node (there is
// no Electron binary here). It records what the app registers — IPC handlers, the app protocol,
// windows, the tray — so the smoke test can call them. Resolved for `electron` by
// electron-hooks.mjs. State lives on globalThis so the runner and the bundle share it.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';

const state = (globalThis.__maestroElectronStub ??= {
  ipcHandlers: new Map(),
  protocolHandlers: new Map(),
  privilegedSchemes: [],
  windows: [],
  trays: [],
  exposed: new Map(),
  errorBoxes: [],
  openedExternally: [],
  paths: new Map(),
  exited: false,
});

function preventable() {
  const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
  return event;
}

class StubApp extends EventEmitter {
  isPackaged = false;
  #ready = Promise.resolve();
  requestSingleInstanceLock() {
    state.lockRequests = (state.lockRequests ?? 0) + 1;
    return true;
  }
  whenReady() {
    return this.#ready;
  }
  quit() {
    const event = preventable();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) {
      state.exited = true;
      this.emit('will-quit', preventable());
    }
  }
  setAsDefaultProtocolClient() {
    return true;
  }
  setAppUserModelId() {}
  enableSandbox() {
    state.sandboxEnabled = true;
  }
  // Chromium's command line (the keyring preference appends --password-store on Linux).
  commandLine = {
    switches: new Map(),
    appendSwitch(name, value) {
      this.switches.set(name, value ?? '');
    },
    hasSwitch(name) {
      return this.switches.has(name);
    },
  };
  setPath(name, value) {
    state.paths.set(name, value);
  }
  getPath(name) {
    return state.paths.get(name) ?? process.env.THE_MAESTRO_DATA_DIR;
  }
  getVersion() {
    return '0.0.0-smoke';
  }
}

export const app = new StubApp();

class StubWebContents extends EventEmitter {
  sent = [];
  send(channel, payload) {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  closeDevTools() {}
}

export class BrowserWindow extends EventEmitter {
  webContents = new StubWebContents();
  destroyed = false;
  constructor(options) {
    super();
    this.options = options;
    state.windows.push(this);
    app.emit('web-contents-created', preventable(), this.webContents);
  }
  loadURL(url) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {}
  hide() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('closed');
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1040, height: 720 };
  }
}

export class Tray {
  menus = [];
  constructor(image) {
    this.image = image;
    state.trays.push(this);
  }
  setContextMenu(menu) {
    this.menus.push(menu);
  }
  setToolTip(text) {
    this.toolTip = text;
  }
  destroy() {
    this.destroyed = true;
  }
}

export const Menu = { buildFromTemplate: (template) => ({ template }) };
export const nativeImage = {
  createFromDataURL: (dataUrl) => ({ dataUrl, isEmpty: () => false }),
  // Like Electron: an image that cannot be read is empty, not an error.
  createFromPath: (path) => ({ path, isEmpty: () => !existsSync(path) }),
};
export const nativeTheme = { themeSource: 'system' };
// Main writes the gateway key here ("Copy gateway key"); the stub keeps nothing.
export const clipboard = { writeText: () => Promise.resolve() };

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => state.privilegedSchemes.push(...schemes),
  handle: (scheme, handler) => state.protocolHandlers.set(scheme, handler),
  unhandle: (scheme) => state.protocolHandlers.delete(scheme),
};

export const ipcMain = {
  handle(channel, listener) {
    if (state.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    state.ipcHandlers.set(channel, listener);
  },
  removeHandler: (channel) => state.ipcHandlers.delete(channel),
  on() {},
  removeListener() {},
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      state.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      state.permissionCheckHandler = handler;
    },
  },
};

export const shell = {
  openExternal: async (url) => void state.openedExternally.push(url),
  openPath: async () => '',
};

export const dialog = {
  showErrorBox: (title, message) => state.errorBoxes.push([title, message]),
  showMessageBox: (options) => Promise.resolve({ response: 0, checkboxChecked: false, options }),
};

// A keyring played with real AES-256-GCM, its backend chosen by the test (default libsecret).
const backend = process.env.MAESTRO_SMOKE_KEYRING_BACKEND ?? 'gnome_libsecret';
const keyringKey = createHash('sha256').update(`smoke-keyring|${backend}`).digest();
function encrypt(text) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyringKey, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}
function decrypt(buffer) {
  const decipher = createDecipheriv('aes-256-gcm', keyringKey, buffer.subarray(0, 12));
  decipher.setAuthTag(buffer.subarray(12, 28));
  return Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString('utf8');
}
export const safeStorage = {
  isEncryptionAvailable: () => true,
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend: () => backend,
  encryptString: encrypt,
  decryptString: decrypt,
  encryptStringAsync: async (text) => encrypt(text),
  decryptStringAsync: async (buffer) => ({ result: decrypt(buffer), shouldReEncrypt: false }),
};

export const contextBridge = { exposeInMainWorld: (key, value) => state.exposed.set(key, value) };

class StubIpcRenderer extends EventEmitter {
  invocations = [];
  invoke(channel, payload) {
    this.invocations.push([channel, payload]);
    return Promise.resolve({ ok: false, error: { code: 'internal', message: 'stub' } });
  }
}
export const ipcRenderer = new StubIpcRenderer();

export const stubState = state;

export default {
  app,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  nativeTheme,
  clipboard,
  protocol,
  ipcMain,
  session,
  shell,
  dialog,
  safeStorage,
  contextBridge,
  ipcRenderer,
};
