// The Run / Compare / Lessons tabs: an ARIA tab list (click, arrow keys,
// Home, End) that shows one panel at a time.
import type { View } from './url-state';

export class Tabs {
  private tabs: HTMLButtonElement[];

  /** `onShow` follows every change of view (the link, a redraw). */
  constructor(private root: ParentNode, private onShow: (view: View) => void) {
    this.tabs = [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')];
    const viewOf = (tab: HTMLButtonElement) => tab.id.replace('tab-', '') as View;
    for (const tab of this.tabs) {
      tab.addEventListener('click', () => this.show(viewOf(tab)));
      tab.addEventListener('keydown', (event) => {
        const tabs = this.tabs;
        const i = tabs.indexOf(tab);
        let j = -1;
        if (event.key === 'ArrowRight') j = (i + 1) % tabs.length;
        else if (event.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
        else if (event.key === 'Home') j = 0;
        else if (event.key === 'End') j = tabs.length - 1;
        if (j < 0) return;
        event.preventDefault();
        tabs[j].focus();
        this.show(viewOf(tabs[j]));
      });
    }
  }

  show(view: View, focusPanel = false): void {
    for (const tab of this.tabs) {
      const selected = tab.id === `tab-${view}`;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      this.panel(tab.getAttribute('aria-controls')!).hidden = !selected;
    }
    this.onShow(view);
    if (focusPanel) this.panel(`panel-${view}`).focus();
  }

  private panel(id: string): HTMLElement {
    return this.root.querySelector<HTMLElement>(`#${id}`)!;
  }
}
