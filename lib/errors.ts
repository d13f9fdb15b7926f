// The package's error classes, and the one place a WireError from the
// runtime becomes one of them.
import type { WireError } from './wire.js';

/** A config value out of range or of the wrong type. Nothing ran. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** The offending field, as named in RunConfig (e.g. "workers"). */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** The page cannot share memory with threads, so nothing can run. */
export class NotIsolatedError extends Error {
  override name = 'NotIsolatedError';
  constructor() {
    super(
      'This page is not cross-origin isolated, so SharedArrayBuffer is unavailable and Web Workers cannot share ' +
        "the pool's WebAssembly memory. Serve the page over http(s), not from a file, with the headers " +
        "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'; or, on a host that " +
        'cannot set headers, load coi-serviceworker before this module (it needs service workers; see the ' +
        'wasm-worker-pool README).',
    );
  }
}

/** The runtime failed (not a config problem): the message says why. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** The run's threads could not be started (nothing ran); a RuntimeError. */
export class StartError extends RuntimeError {
  override name = 'StartError';
}

/** Another run or demonstration is in progress on this playground; a RuntimeError. */
export class BusyError extends RuntimeError {
  override name = 'BusyError';
}

/** The error class for a WireError from the runtime. */
export function fromWire(error: WireError): Error {
  switch (error.kind) {
    case 'config':
      return new ConfigError(error.field ?? 'config', error.message);
    case 'start':
      return new StartError(error.message);
    case 'busy':
      return new BusyError(error.message);
    case 'runtime':
      return new RuntimeError(error.message);
  }
}

/** A WireError for anything thrown: the runtime's own WireErrors pass through. */
export function toWire(thrown: unknown): WireError {
  if (isWireError(thrown)) return thrown;
  return { kind: 'runtime', message: thrown instanceof Error ? thrown.message : String(thrown) };
}

const KINDS: readonly string[] = ['config', 'start', 'busy', 'runtime'] satisfies WireError['kind'][];

function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message } = value as Record<string, unknown>;
  return typeof kind === 'string' && KINDS.includes(kind) && typeof message === 'string';
}
