/**
 * zod/mini loads no locale, so without one every issue would read just "Invalid input". Some
 * issues reach a person word for word (configuration problems, a refused fallback order, a
 * refused IPC request), so every module that turns an issue into a message imports this one,
 * which installs the English messages classic zod installed. `zod/locales` is imported by name so
 * that only English is bundled (~5 KiB; `z.locales` as a whole is ~350 KiB more).
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
