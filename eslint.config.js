// Lint for The Maestro: typescript-eslint's strict, type-checked rules (the type-aware ones catch
// floating promises, promises passed where a callback is expected and non-exhaustive switches),
// import cycles and the core's layer rules (docs/architecture.md, "Layers"), and Prettier's
// layout rules turned off (Prettier owns layout; `npm test` runs `prettier --check`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';

const core = 'src-main/core';
/** Where a layer's code may not reach (import-x/no-restricted-paths zones: `target` may not import `from`). */
const layerZones = [
  // Nothing in the core imports the front ends or the shell.
  ...['agent', 'gateway', 'electron', 'cli', 'ipc', 'web', 'preload', 'preferences', 'main.ts'].map((front) => ({
    target: `./${core}`,
    from: `./src-main/${front}`,
    message: 'The core sits below every front end: move what both need into src-main/core.',
  })),
  // The store knows nothing of sessions, OAuth, providers or the coordinator.
  ...['session', 'oauth', 'providers'].map((layer) => ({
    target: `./${core}/store`,
    from: `./${core}/${layer}`,
    message: 'The store knows nothing of sessions, OAuth or providers: pass it plain data.',
  })),
  {
    target: `./${core}/store`,
    from: `./${core}`,
    except: ['./store', './auth-error.ts', './credentials.ts', './clock.ts', './account-label.ts'],
    message: 'The store may use only the core base files (auth-error, credentials, clock, account-label).',
  },
  // Providers are knowledge only: no store, no sessions, no OAuth machinery, no coordinator.
  {
    target: `./${core}/providers`,
    from: `./${core}`,
    except: ['./providers', './auth-error.ts', './credentials.ts', './clock.ts', './account-label.ts'],
    message: 'Providers know nothing of the store, sessions, OAuth machinery or the coordinator.',
  },
  // OAuth machinery uses providers and the store, never sessions or the coordinator.
  {
    target: `./${core}/oauth`,
    from: `./${core}`,
    except: [
      './oauth',
      './providers',
      './store',
      './auth-error.ts',
      './credentials.ts',
      './clock.ts',
      './account-label.ts',
    ],
    message: 'OAuth uses providers and the store only: sessions and the coordinator sit above it.',
  },
  // Sessions use the store and provider knowledge, not OAuth or the coordinator.
  {
    target: `./${core}/session`,
    from: `./${core}`,
    except: [
      './session',
      './providers',
      './store',
      './auth-error.ts',
      './credentials.ts',
      './clock.ts',
      './account-label.ts',
    ],
    message: 'Sessions use the store and providers only.',
  },
  // The renderer sees only src-shared.
  {
    target: './src-renderer',
    from: './src-main',
    message: 'The renderer sees only src-shared (the contract and view models).',
  },
  { target: './src-shared', from: './src-main', message: 'src-shared is pure: it imports nothing from main.' },
  {
    target: './src-shared',
    from: './src-renderer',
    message: 'src-shared is pure: it imports nothing from the renderer.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.tsbuild/**',
      'reports/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      // The import map that no-cycle walks must parse our TypeScript, or it sees no imports at all.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: './tsconfig.*.json', noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Style rules of strictTypeChecked we do not follow: an arrow may return a void call
      // (`() => listener()`), and an async function implementing a Promise-returning contract may
      // have no await (a throw still becomes a rejection).
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/require-await': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: [
      `${core}/**`,
      'src-main/config/**',
      'src-main/agent/**',
      'src-main/cli/**',
      'src-main/log/**',
      'src-shared/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The core runs under plain Node: keep electron in src-main/electron.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.d.ts', '**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The launcher is CommonJS (bin/package.json): a hook's new process then starts no ES-module loader.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
