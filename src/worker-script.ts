import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A compiled worker script beside the module at `base`; absent when running from TypeScript sources. */
export function workerScript(file: string, base: string): string | undefined {
  const path = fileURLToPath(new URL(file, base));
  return existsSync(path) ? path : undefined;
}
