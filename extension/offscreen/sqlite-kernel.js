// The SQL (SQLite) runner (shared/languages.js): a kernel per conversation, each one SQLite
// database in its own worker (sqlite-worker.js).
import { sqlRunner } from './sql-kernel.js';

export const { configOf, createKernel } = sqlRunner({ workerURL: new URL('./sqlite-worker.js', import.meta.url), label: 'SQLite' });
