// Small DOM builders shared by the views.

/** Appends a `<div><dt>term</dt><dd>value</dd></div>` row to a definition list. */
export function definitionRow(list: HTMLElement, term: string, value: string): void {
  const div = document.createElement('div');
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  div.append(dt, dd);
  list.append(div);
}
