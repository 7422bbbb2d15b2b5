/**
 * Loads the core's code and exits without running it: the same bundle as core-start-child, so
 * the cold-start benchmark can show how much of a start-up is loading JavaScript (the core,
 * zod/mini, better-sqlite3's wrapper) before any database is opened.
 */
import { createCore } from '../../src-main/core/create-core.js';

if (typeof createCore !== 'function') throw new Error('the core did not load');
