// What every view is given by the playground that mounts it (app.ts).
import type { Key, Settings } from '../config';
import type { Exclusive } from '../exclusive';

export interface ViewContext {
  /** An element of this playground: looked up in its root, never the document, so that several can share a page. */
  $<T extends HTMLElement = HTMLElement>(selector: string): T;
  /** Through which every view starts its work, so that only one thing runs. */
  exclusive: Exclusive;
  /** The settings if every control is valid, else null (the controls then say why). */
  read(): Settings | null;
  /** Shows a line in the status under Run. */
  say(message: string): void;
  /** Shows a short note under a setting's control (null removes it). */
  note(key: Key, text: string | null): void;
  /** What the view lets the controls do changed (a run became resizable): refresh the buttons and controls. */
  refresh(): void;
  /** The view's part of the link changed (the replay's t=): rewrite the address bar, where the playground keeps it. */
  linkChanged(): void;
}
