/// <reference types="vite/client" />

/** The crate's marked Rust regions, taken at build time by scripts/rust-snippets.mjs. */
declare module 'virtual:rust-snippets' {
  /** Region name → its text (dedented, its marker lines left out). */
  const snippets: Readonly<Record<string, string>>;
  export default snippets;
  /** Region name → 'crate/…/file.rs:line' of its start marker. */
  export const sources: Readonly<Record<string, string>>;
}
