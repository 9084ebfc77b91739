// The item editor's page: a form over one item file. It draws what the host sends and says what
// the user changed, one value at a time; the host turns each into an edit of the document and
// sends the form as the document now reads. A file that does not parse is shown as its problems
// and its text, with no control that could change it.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '../shared/base.css';
import './item.css';
import { CheckListName, CheckRow, Choice, ItemFieldKey, ItemForm, ItemModel, ItemOptions, ItemOwnRequest, ItemProblems, ItemRef, parseItemOptions, SectionName } from '../../src/protocol/itemProtocol';
import { h, safeFragment } from '../shared/dom';
import { startPage } from '../shared/panelPage';

type Field = HTMLElement & { value: string };

const page = startPage<ItemModel, ItemOptions, ItemOwnRequest>({
  parseOptions: parseItemOptions,
  render: (m) => {
    model = m;
    render();
  },
});
const app = document.getElementById('app')!;
let model: ItemModel | undefined;
/** Which section is open as a text area, and which criterion as a text field: kept across redraws. */
let editingSection: SectionName | undefined;
/** The open section's text when it was opened: what Cancel puts back, its edits having been sent. */
let sectionAtOpen: string | undefined;
let editingCheck: string | undefined;

/** Focuses a field once the toolkit has drawn it: focusing it before gives the page the focus, and typing goes nowhere. */
function focusWhenDrawn(key: string): void {
  const el = app.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
  if (el) void whenRendered(el).then(() => el.focus());
}

function post(message: ItemOwnRequest): void {
  page.post(message);
}

function render(): void {
  if (!model) return;
  // What the user is typing survives a redraw (the host redraws when anything in the backlog changes).
  const active = document.activeElement as (HTMLElement & { value?: unknown }) | null;
  const box = active ? innerBox(active) : undefined;
  const typing = active?.dataset.key && typeof active.value === 'string' ? { key: active.dataset.key, value: active.value, start: box?.selectionStart, end: box?.selectionEnd } : undefined;
  const content = model.kind === 'form' ? form(model) : problems(model);
  app.replaceChildren(content);
  app.removeAttribute('aria-busy');
  if (typing) {
    const el = app.querySelector<HTMLElement & { value: string }>(`[data-key="${CSS.escape(typing.key)}"]`);
    if (el) {
      el.value = typing.value;
      // Once the toolkit has drawn the new field: focusing it before gives the page the focus.
      // The caret stays where the typing was: the text is sent while it is typed, and each
      // change the host draws again would otherwise move it to the end.
      void whenRendered(el).then(() => {
        page.restoreFocus(el);
        const again = innerBox(el);
        if (again && typing.start != null && typing.end != null) again.setSelectionRange(typing.start, typing.end);
      });
    }
  } else {
    const key = page.focusedKey();
    if (key) page.restoreFocus(app.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`));
  }
  page.drawn(model.kind === 'form' ? model.acceptanceCriteria.length + model.definitionOfDone.length : 0);
}

// ---- a file that does not parse -----------------------------------------------------------

function problems(m: ItemProblems): HTMLElement {
  return h(
    'main',
    { class: 'item-page problems' },
    h('header', { class: 'page-header' }, h('h1', {}, 'This file cannot be shown as a form'), openTextButton()),
    h('p', {}, 'Fix these problems in the text; the form comes back once the file reads as an item. Nothing here changes the file.'),
    h('ul', { class: 'problem-list', attrs: { 'aria-label': 'Problems' } }, ...m.problems.map((p) => h('li', {}, h('span', { class: 'id' }, `Line ${p.line}:${p.column}`), p.message))),
    h('pre', { class: 'source', attrs: { 'aria-label': 'The file as text' } }, m.text),
  );
}

function openTextButton(): HTMLElement {
  return h('vscode-button', { attrs: { secondary: '', icon: 'go-to-file', 'data-key': 'open-text' }, on: { click: () => post({ type: 'openText' }) } }, 'Open as Text');
}

// ---- the form -----------------------------------------------------------------------------

function form(m: ItemForm): HTMLElement {
  // The form on the left; what only Backlog Atlas knows beside it (below it in a narrow editor).
  const main = h('div', { class: 'item-form' });
  main.append(
    h(
      'header',
      { class: 'page-header item-header' },
      h('span', { class: 'id' }, m.id),
      textField('title', m.title, 'Title', (v) => setField('title', v), 'title-field', undefined, true),
      h('vscode-badge', { attrs: { variant: 'counter' } }, m.folder),
      openTextButton(),
    ),
  );
  if (m.warnings.length > 0) main.append(h('ul', { class: 'warnings', attrs: { 'aria-label': 'Warnings' } }, ...m.warnings.map((w) => h('li', {}, w))));
  const c = m.choices;
  const f = m.fields;
  main.append(
    h(
      'section',
      { class: 'fields', attrs: { 'aria-label': 'Fields' } },
      pick('Status', 'status', f.status, c.statuses.map((s) => [s, s]), false),
      pick('Type', 'type', f.type, c.types.map((s) => [s, s])),
      pick('Priority', 'priority', f.priority, c.priorities.map((s) => [s, s])),
      pick('Estimate', 'estimate', f.estimate, c.estimates.map((s) => [s, s])),
      pick('Size', 'size', f.size, c.sizes.map((s) => [s, s])),
      pick('Sprint', 'sprint', f.sprint, choices(c.sprints, f.sprint)),
      pick('Release', 'release', f.release, choices(c.releases, f.release)),
      pick('Epic', 'epic', f.epic, choices(c.epics, f.epic)),
      pick('Theme', 'theme', f.theme, choices(c.themes, f.theme)),
      pick('Story-map step', 'step', f.step, choices(c.steps, f.step)),
      labelled('Due date', textField('due_date', f.dueDate, 'Due date', (v) => setField('due_date', v), undefined, 'YYYY-MM-DD')),
      multi('Assignees', 'assignee', f.assignee, c.assignees),
      multi('Labels', 'labels', f.labels, c.labels),
    ),
  );
  main.append(relations(m));
  main.append(section('Description', 'description', m.description, m.descriptionHtml));
  main.append(checklist('Acceptance Criteria', 'ac', m.acceptanceCriteria));
  main.append(checklist('Definition of Done', 'dod', m.definitionOfDone));
  main.append(section('Implementation Plan', 'plan', m.plan));
  main.append(section('Implementation Notes', 'notes', m.notes));
  main.append(section('Final Summary', 'summary', m.summary));
  if (m.comments.length > 0) {
    main.append(
      h('section', { class: 'block', attrs: { 'aria-label': 'Comments' } }, h('h2', { class: 'section-title' }, 'Comments'), ...m.comments.map((cm) => h('div', { class: 'comment' }, h('div', { class: 'muted small' }, [cm.author, cm.created].filter(Boolean).join(' · ')), h('div', { class: 'pre' }, cm.text)))),
    );
  }
  return h('main', { class: 'item-page with-aside' }, main, atlas(m));
}

function setField(key: ItemFieldKey, value: string | string[]): void {
  post({ type: 'setField', key, value });
}

function choices(list: Choice[], current: string): [string, string][] {
  const out: [string, string][] = list.map((x) => [x.id, x.id === x.title ? x.title : `${x.id} · ${x.title}`]);
  if (current !== '' && !list.some((x) => x.id.toLowerCase() === current.toLowerCase())) out.push([current, `${current} (not found)`]);
  return out;
}

function labelled(label: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'tool-label' }, label), control);
}

/**
 * A text field. With `live`, what is typed is sent after a short pause, not only when the field
 * loses the focus: the tab turns dirty as in a text editor, so Save writes it and closing the tab
 * asks first. A value the host would refuse half-typed (spaces at its ends, empty) waits for the
 * field's `change`, which sends it as it is, to be refused with a reason.
 */
function textField(name: string, value: string, label: string, onChange: (v: string) => void, cls?: string, placeholder?: string, live = false): HTMLElement {
  const el = h('vscode-textfield', { class: cls, attrs: { 'aria-label': label, 'data-key': `field-${name}`, 'data-name': name, value, placeholder } }) as Field;
  el.value = value;
  let sent = value;
  const send = (v: string) => {
    if (v === sent) return;
    sent = v;
    onChange(v);
  };
  if (live) {
    const pause = debounced(LIVE_MS, () => el.value.trim() === el.value && el.value !== '' && send(el.value));
    el.addEventListener('input', pause.run);
    el.addEventListener('change', () => (pause.cancel(), send(el.value)));
  } else el.addEventListener('change', () => send(el.value));
  return el;
}

/** How long typing pauses before what was typed goes to the document. */
const LIVE_MS = 400;

/** Typing not yet sent, by field: what Ctrl+S sends before it saves. */
const unsent = new Set<() => void>();

function debounced(ms: number, fn: () => void): { run: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const now = () => {
    cancel();
    fn();
  };
  const cancel = () => {
    clearTimeout(timer);
    unsent.delete(now);
  };
  return {
    run: () => {
      clearTimeout(timer);
      unsent.add(now);
      timer = setTimeout(now, ms);
    },
    cancel,
  };
}

// Ctrl+S (Cmd+S) right after typing: the workbench would save the document before the typing
// reached it. The typing is sent first and the host saves after it, in the order sent.
document.addEventListener(
  'keydown',
  (e) => {
    if (unsent.size === 0 || e.key.toLowerCase() !== 's' || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    for (const send of [...unsent]) send();
    post({ type: 'save' });
  },
  true,
);

/** The input or text area inside one of the toolkit's fields, where the caret is. */
function innerBox(el: Element): HTMLInputElement | HTMLTextAreaElement | undefined {
  return el.shadowRoot?.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea') ?? undefined;
}

/** Resolves once a toolkit element has drawn itself (its inner input exists to focus). */
function whenRendered(el: Element): Promise<unknown> {
  return Promise.resolve((el as Element & { updateComplete?: Promise<unknown> }).updateComplete);
}

/** A drop-down of one field; `none` adds the empty choice that removes the value. */
function pick(label: string, name: ItemFieldKey, value: string, list: [string, string][], none = true): HTMLElement {
  const sel = h('vscode-single-select', { attrs: { 'aria-label': label, 'data-key': `field-${name}`, 'data-name': name, combobox: list.length > 12 ? '' : undefined } }) as Field;
  for (const [v, text] of none ? [['', '—'] as [string, string], ...list] : list) {
    const opt = h('vscode-option', { attrs: { value: v } }, text);
    if (v === value) opt.setAttribute('selected', '');
    sel.append(opt);
  }
  sel.addEventListener('change', () => {
    if (sel.value !== value) setField(name, sel.value);
  });
  return labelled(label, sel);
}

/** A list of values from the backlog's own (labels, assignees), and a field to add one it does not have. */
function multi(label: string, name: ItemFieldKey, values: string[], known: string[]): HTMLElement {
  const sel = h('vscode-multi-select', { attrs: { 'aria-label': label, 'data-key': `field-${name}`, 'data-name': name, combobox: '' } }) as HTMLElement & { value: string[] };
  for (const v of new Set([...known, ...values])) {
    const opt = h('vscode-option', { attrs: { value: v } }, v);
    if (values.includes(v)) opt.setAttribute('selected', '');
    sel.append(opt);
  }
  sel.addEventListener('change', () => {
    const now = [...sel.value];
    if (now.join('\n') !== values.join('\n')) setField(name, now);
  });
  const add = textField(`${name}-new`, '', `Add to ${label.toLowerCase()}`, (v) => {
    const more = v.split(',').map((s) => s.trim()).filter((s) => s !== '' && !values.includes(s));
    if (more.length > 0) setField(name, [...values, ...more]);
  }, 'add-value', 'add…');
  const shown = h('span', { class: 'muted small values' }, values.length > 0 ? values.join(', ') : 'none');
  return h('div', { class: 'field field-multi' }, h('span', { class: 'tool-label' }, label), h('div', { class: 'multi' }, sel, shown, add));
}

// ---- relations ----------------------------------------------------------------------------

function refRow(ref: ItemRef, remove?: () => void): HTMLElement {
  const problem = ref.problem === 'missing' ? 'no such item' : ref.problem === 'archived' ? 'archived' : ref.problem === 'cycle' ? 'dependency cycle' : undefined;
  return h(
    'li',
    { class: `ref${problem ? ' has-problem' : ''}${ref.done ? ' done' : ''}` },
    h('a', { attrs: { href: '#', 'data-key': `ref-${ref.id}` }, on: { click: (e) => (e.preventDefault(), post({ type: 'openItem', id: ref.id })) } }, ref.id),
    ref.title ? ` ${ref.title}` : '',
    ref.status ? h('span', { class: 'status' }, ref.status) : null,
    problem ? h('span', { class: 'problem', attrs: { role: 'note' } }, `⚠ ${problem}`) : null,
    remove ? iconButton('close', `Remove ${ref.id}`, remove) : null,
  );
}

function relations(m: ItemForm): HTMLElement {
  const deps = m.dependencies;
  const depIds = deps.map((d) => d.id);
  const addDep = h('vscode-single-select', { attrs: { 'aria-label': 'Add a dependency', 'data-key': 'add-dependency', combobox: '', placeholder: 'Add a dependency…' } }) as Field;
  addDep.append(h('vscode-option', { attrs: { value: '' } }, 'Add a dependency…'));
  for (const i of m.choices.items) if (!depIds.includes(i.id)) addDep.append(h('vscode-option', { attrs: { value: i.id } }, `${i.id} · ${i.title}`));
  addDep.addEventListener('change', () => {
    if (addDep.value !== '') setField('dependencies', [...depIds, addDep.value]);
  });
  const parent = pick('Parent', 'parent', m.parent?.id ?? '', choices(m.choices.items, m.parent?.id ?? ''));
  return h(
    'section',
    { class: 'block relations', attrs: { 'aria-label': 'Relations' } },
    h('h2', { class: 'section-title' }, 'Dependencies'),
    deps.length > 0 ? h('ul', { class: 'refs' }, ...deps.map((d) => refRow(d, () => setField('dependencies', depIds.filter((x) => x !== d.id))))) : h('p', { class: 'muted small' }, 'None.'),
    addDep,
    h('div', { class: 'fields' }, parent),
    m.parent ? h('ul', { class: 'refs' }, refRow(m.parent)) : null,
    m.subtasks.length > 0 ? h('div', {}, h('h2', { class: 'section-title' }, 'Subtasks'), h('ul', { class: 'refs' }, ...m.subtasks.map((s) => refRow(s)))) : null,
    linkList('References', 'references', m.fields.references),
    linkList('Documentation', 'documentation', m.fields.documentation),
  );
}

function linkList(label: string, name: 'references' | 'documentation', values: string[]): HTMLElement {
  return h(
    'div',
    { class: 'links' },
    h('h2', { class: 'section-title' }, label),
    values.length > 0 ? h('ul', { class: 'refs' }, ...values.map((v, k) => h('li', {}, h('span', { class: 'link-text' }, v), iconButton('close', `Remove ${v}`, () => setField(name, values.filter((_, j) => j !== k)))))) : null,
    textField(`${name}-new`, '', `Add to ${label.toLowerCase()}`, (v) => v.trim() !== '' && setField(name, [...values, v.trim()]), 'add-value', 'Add a URL or path…'),
  );
}

// ---- body ---------------------------------------------------------------------------------

function iconButton(icon: string, label: string, run: () => void, key?: string): HTMLElement {
  return h('vscode-icon', { attrs: { name: icon, 'action-icon': '', label, title: label, 'aria-label': label, 'data-key': key }, on: { click: run, keydown: (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), run()) } });
}

/** A section shown as text (Description as rendered Markdown); "Edit" opens it as a text area. */
function section(title: string, name: SectionName, text: string, html?: string): HTMLElement {
  const block = h('section', { class: 'block', attrs: { 'aria-label': title, 'data-section': name } });
  const head = h('h2', { class: 'section-title' }, title);
  if (editingSection === name) {
    const area = h('vscode-textarea', { attrs: { 'aria-label': title, 'data-key': `section-${name}`, rows: '8', resize: 'vertical' } }) as Field;
    area.value = text;
    // Sent as it is typed (after a pause), as a text editor would have it: the tab turns dirty,
    // Save writes it, closing asks. Cancel puts back the text the section had when it opened.
    sectionAtOpen ??= text;
    let sent = text;
    const send = () => {
      if (area.value === sent) return;
      sent = area.value;
      post({ type: 'setSection', section: name, content: area.value });
    };
    const pause = debounced(LIVE_MS, send);
    area.addEventListener('input', pause.run);
    area.addEventListener('keydown', (e) => e.key === 'Escape' && (e.preventDefault(), cancel()));
    const done = () => {
      pause.cancel();
      send();
      editingSection = undefined;
      sectionAtOpen = undefined;
      render();
    };
    const cancel = () => {
      pause.cancel();
      if (sectionAtOpen !== undefined && sectionAtOpen !== sent) post({ type: 'setSection', section: name, content: sectionAtOpen });
      editingSection = undefined;
      sectionAtOpen = undefined;
      render();
    };
    const save = h('vscode-button', { attrs: { 'data-key': `save-${name}` }, on: { click: done } }, 'Done');
    const back = h('vscode-button', { attrs: { secondary: '' }, on: { click: cancel } }, 'Cancel');
    block.append(head, area, h('div', { class: 'buttons' }, save, back));
    return block;
  }
  const shown = h('div', { class: `section-text${text === '' ? ' muted' : ''}`, attrs: { tabindex: '0', role: 'button', 'aria-label': `Edit ${title}`, 'data-key': `show-${name}` } });
  if (text === '') shown.append('Empty. Click to write.');
  else if (html !== undefined) shown.append(safeFragment(html));
  else shown.append(h('div', { class: 'pre' }, text));
  const open = () => {
    editingSection = name;
    sectionAtOpen = undefined;
    render();
    focusWhenDrawn(`section-${name}`);
  };
  shown.addEventListener('click', (e) => {
    // A click on a link in the rendered text follows the link, not the editor.
    if (!(e.target instanceof HTMLAnchorElement)) open();
  });
  shown.addEventListener('keydown', (e) => e.key === 'Enter' && (e.preventDefault(), open()));
  block.append(head, shown);
  return block;
}

/** Acceptance Criteria or Definition of Done: boxes to tick, texts to edit, order to change. */
function checklist(title: string, list: CheckListName, rows: CheckRow[]): HTMLElement {
  const done = rows.filter((r) => r.checked).length;
  const block = h('section', { class: 'block', attrs: { 'aria-label': title, 'data-list': list } }, h('h2', { class: 'section-title' }, `${title} `, h('span', { class: 'muted' }, rows.length > 0 ? `${done}/${rows.length}` : '')));
  const ul = h('ul', { class: 'checks' });
  rows.forEach((row, k) => {
    const key = `${list}-${row.index}`;
    const box = h('vscode-checkbox', { attrs: { 'data-key': `check-${key}`, 'aria-label': `#${row.index} ${row.text}` } }) as HTMLElement & { checked: boolean };
    box.checked = row.checked;
    box.addEventListener('change', () => post({ type: 'check', list, index: row.index, checked: box.checked }));
    let text: HTMLElement;
    if (editingCheck === key) {
      text = textField(`text-${key}`, row.text, `Text of #${row.index}`, (v) => ((editingCheck = undefined), post({ type: 'checkText', list, index: row.index, text: v })), 'check-text');
      // Escape leaves the text as it was.
      text.addEventListener('keydown', (e) => e.key === 'Escape' && (e.preventDefault(), (editingCheck = undefined), render()));
    } else {
      text = h('span', { class: `check-text${row.checked ? ' checked' : ''}`, attrs: { tabindex: '0', title: 'Click to edit', 'data-key': `label-${key}` } }, h('span', { class: 'muted' }, `#${row.index} `), row.text);
      const edit = () => {
        editingCheck = key;
        render();
        focusWhenDrawn(`field-text-${key}`);
      };
      text.addEventListener('click', edit);
      text.addEventListener('keydown', (e) => e.key === 'Enter' && (e.preventDefault(), edit()));
    }
    ul.append(
      h(
        'li',
        { class: 'check' },
        box,
        text,
        h(
          'span',
          { class: 'row-actions' },
          k > 0 ? iconButton('arrow-up', `Move #${row.index} up`, () => post({ type: 'checkMove', list, index: row.index, to: k - 1 }), `up-${key}`) : null,
          k < rows.length - 1 ? iconButton('arrow-down', `Move #${row.index} down`, () => post({ type: 'checkMove', list, index: row.index, to: k + 1 }), `down-${key}`) : null,
          iconButton('trash', `Remove #${row.index}`, () => post({ type: 'checkRemove', list, index: row.index }), `remove-${key}`),
        ),
      ),
    );
  });
  block.append(ul);
  const add = textField(`add-${list}`, '', `Add to ${title}`, () => undefined, 'add-value', `Add a${list === 'ac' ? 'n acceptance criterion' : ' Definition of Done item'}…`) as Field;
  const submit = () => {
    if (add.value.trim() === '') return;
    post({ type: 'checkAdd', list, text: add.value });
    add.value = '';
  };
  add.addEventListener('keydown', (e) => e.key === 'Enter' && submit());
  block.append(h('div', { class: 'add-row' }, add, h('vscode-button', { attrs: { secondary: '', 'data-key': `add-button-${list}` }, on: { click: submit } }, 'Add')));
  return block;
}

// ---- what only Backlog Atlas knows --------------------------------------------------------

function atlas(m: ItemForm): HTMLElement {
  const history = m.history;
  return h(
    'aside',
    { class: 'atlas', attrs: { 'aria-label': 'Where it stands' } },
    h('h2', { class: 'section-title' }, 'Where it stands'),
    h('dl', { class: 'standing' }, ...m.standing.flatMap((s) => [h('dt', {}, s.label), h('dd', {}, s.value)])),
    h('h2', { class: 'section-title' }, 'TODOs in code'),
    m.todos.length > 0
      ? h('ul', { class: 'refs' }, ...m.todos.map((t) => h('li', {}, h('a', { attrs: { href: '#', 'data-key': `todo-${t.ref}` }, on: { click: (e) => (e.preventDefault(), post({ type: 'openTodo', ref: t.ref })) } }, t.where), ` ${t.text}`)))
      : h('p', { class: 'muted small' }, 'No TODO in the code names this item.'),
    h('h2', { class: 'section-title' }, 'History'),
    history && history.length > 0 ? h('ol', { class: 'history' }, ...history.map((l) => h('li', {}, h('span', { class: 'id' }, l.date), l.text))) : h('p', { class: 'muted small' }, m.historyNote || 'No change recorded in git yet.'),
  );
}

page.ready();
