// The scenario's results as a table: per request, each stage's status and latency, and
// whether their answers differ once the ignored fields are set aside.
import { allowedStatuses, type ScenarioStep } from './scenario.ts';
import type { ResultRow, SideResult } from './scenario-run.ts';

export interface SideLabels {
  from: string;
  to: string;
}

function cell(tag: 'td' | 'th', ...content: (string | Node)[]): HTMLTableCellElement {
  const node = document.createElement(tag);
  node.append(...content);
  return node;
}

function detail(text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'detail';
  span.textContent = text;
  return span;
}

function statusCell(side: SideResult, step: ScenarioStep): HTMLTableCellElement {
  if (side.status === undefined) {
    const td = cell('td', 'no answer', detail(side.problem ?? ''));
    td.className = 'unexpected';
    return td;
  }
  const td = cell('td', String(side.status));
  // Said in words, not only in colour.
  if (!side.expected) {
    td.className = 'unexpected';
    td.append(detail(`the contract allows ${allowedStatuses(step)}`));
  }
  return td;
}

const latency = (side: SideResult) => {
  const td = cell('td', side.ms === undefined ? '—' : `${side.ms.toFixed(1)} ms`);
  td.className = 'num';
  return td;
};

function bodiesCell(row: ResultRow): HTMLTableCellElement {
  const bodies = row.bodies;
  if (!bodies) return cell('td', '—');
  const td = bodies.same ? cell('td', 'same') : cell('td', 'differ', detail(bodies.differences.join(', ')));
  if (!bodies.same) td.className = 'differs';
  if (bodies.ignored.length) td.append(detail(`ignored: ${bodies.ignored.join(', ')}`));
  return td;
}

export function showResults(host: HTMLElement, rows: ResultRow[], labels: SideLabels): void {
  const table = document.createElement('table');
  const caption = document.createElement('caption');
  const differing = rows.filter((row) => row.bodies && !row.bodies.same).length;
  caption.textContent = `Scenario results: ${labels.from} and ${labels.to} (${differing === 0 ? 'every answer the same' : `${differing} of ${rows.length} answers differ`})`;
  const head = document.createElement('thead');
  const headings = ['Request', 'Sent', `${labels.from} status`, `${labels.to} status`, 'Bodies', `${labels.from} latency`, `${labels.to} latency`];
  const headRow = document.createElement('tr');
  for (const text of headings) {
    const th = cell('th', text);
    th.scope = 'col';
    headRow.append(th);
  }
  head.append(headRow);
  const body = document.createElement('tbody');
  for (const row of rows) {
    const tr = document.createElement('tr');
    const name = cell('th', row.step.label);
    name.scope = 'row';
    const code = document.createElement('code');
    code.textContent = `${row.step.method} ${row.step.path}`;
    tr.append(name, cell('td', code), statusCell(row.from, row.step), statusCell(row.to, row.step), bodiesCell(row), latency(row.from), latency(row.to));
    body.append(tr);
  }
  table.append(caption, head, body);
  host.replaceChildren(table);
}
