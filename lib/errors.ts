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
