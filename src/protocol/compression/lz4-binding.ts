import { createRequire } from 'node:module';
import { ArgumentError } from '../errors/cqlwire-error.js';

/** The npm package that implements lz4 for cqlwire (a native binding, an optional dependency). */
export const LZ4_PACKAGE = 'lz4-napi';

/** The two functions of `lz4-napi` cqlwire uses (block format behind a 4-byte LE size prefix). */
export interface Lz4Binding {
  compressSync(input: Buffer): Buffer;
  uncompressSync(input: Buffer): Buffer;
}

/** Loads the binding; throws when it cannot. */
export type Lz4Loader = () => Lz4Binding;

const requireLz4: Lz4Loader = () => createRequire(import.meta.url)(LZ4_PACKAGE) as Lz4Binding;

let loader: Lz4Loader = requireLz4;
let loaded: Lz4Binding | undefined;
let failure: ArgumentError | undefined;

/**
 * The lz4 binding, loaded on first use: `import 'cqlwire'` never loads the native module, so an
 * install without it (`npm install --omit=optional`, a platform it has no build for) works as
 * long as compression stays 'none' (the default). Asking for lz4 without it is the caller's
 * configuration mistake: an `ArgumentError` that names the package and the way out.
 */
export function lz4Binding(): Lz4Binding {
  if (loaded !== undefined) return loaded;
  if (failure !== undefined) throw failure;
  try {
    loaded = loader();
    return loaded;
  } catch (cause) {
    failure = new ArgumentError(
      `compression 'lz4' needs the optional package ${LZ4_PACKAGE}, which could not be loaded ` +
        `(${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}): install it with ` +
        `'npm install ${LZ4_PACKAGE}', or use compression: 'none'`,
      { cause },
    );
    throw failure;
  }
}

/** True when the lz4 binding loads (loading it if it was not yet). */
export function isLz4Available(): boolean {
  try {
    lz4Binding();
    return true;
  } catch {
    return false;
  }
}

/**
 * @internal Replaces how the binding is loaded (tests simulate a missing package with it);
 * `undefined` restores the default. Forgets any binding or failure already seen.
 */
export function setLz4Loader(next: Lz4Loader | undefined): void {
  loader = next ?? requireLz4;
  loaded = undefined;
  failure = undefined;
}
