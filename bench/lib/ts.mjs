/**
 * Load the project's TypeScript modules (the api.os.uk mock, core types, popup helpers) from plain
 * .mjs: Node 20 cannot strip types, so Vite's module runner (already a dev dependency) transpiles
 * them on the fly. Each call gets its own module graph; load a file once and keep the result.
 */
import { resolve } from 'node:path';
import { runnerImport } from 'vite';

export const ROOT = resolve(import.meta.dirname, '../..');

/** @param {string} relPath path from the repository root, e.g. 'tests/mock/os-api-mock.ts' */
export async function importTs(relPath) {
  const { module } = await runnerImport(resolve(ROOT, relPath), { configFile: false, logLevel: 'warn' });
  return module;
}
