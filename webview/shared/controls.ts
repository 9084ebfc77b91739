// The toolbar controls every panel uses, from @vscode-elements/elements.
import { h } from './dom';

/** A labelled group of radios (vscode-elements); `onChange` runs when the user picks another. */
export function radioGroup(label: string, name: string, value: string, choices: [string, string][], onChange: (v: string) => void): HTMLElement {
  const group = h('vscode-radio-group', { attrs: { 'aria-label': label, 'data-name': name } });
  for (const [v, text] of choices) {
    const radio = h('vscode-radio', { attrs: { name, value: v, label: text } });
    radio.checked = v === value;
    group.append(radio);
  }
  group.addEventListener('change', (e) => {
    const radio = e.target as HTMLElement & { checked?: boolean; value?: string };
    if (radio.checked && radio.value !== undefined && radio.value !== value) onChange(radio.value);
  });
  return h('div', { class: 'tool' }, h('span', { class: 'tool-label' }, label), group);
}

/** A labelled drop-down (vscode-elements); `onChange` runs when the user picks another. */
export function select(label: string, name: string, value: string, choices: [string, string][], onChange: (v: string) => void): HTMLElement {
  const sel = h('vscode-single-select', { attrs: { 'aria-label': label, 'data-name': name } });
  for (const [v, text] of choices) {
    const opt = h('vscode-option', { attrs: { value: v } }, text);
    if (v === value) opt.setAttribute('selected', '');
    sel.append(opt);
  }
  sel.addEventListener('change', () => {
    if (sel.value !== value) onChange(sel.value);
  });
  return h('label', { class: 'tool' }, h('span', { class: 'tool-label' }, label), sel);
}
