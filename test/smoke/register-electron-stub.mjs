// `node --import ./test/smoke/register-electron-stub.mjs …`: installs the electron resolve hook.
import { register } from 'node:module';

register('./electron-hooks.mjs', import.meta.url);
