import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The DRIVER_NAME sent in STARTUP (native_protocol_v5.spec §4.1.1 (STARTUP)), shown by `nodetool clientstats`. */
export const DRIVER_NAME = 'cqlwire';

/**
 * Finds our package.json above this file (src/connection in the repository, dist/connection
 * once built) and reads its version. Runs once, when the module loads; never on a request path.
 */
function readDriverVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'cqlwire' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json at this level: keep climbing
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

/** The DRIVER_VERSION sent in STARTUP: this package's version. */
export const DRIVER_VERSION: string = readDriverVersion();
