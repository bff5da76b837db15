// The steps a chapter's experiment asks of a reader, for the lesson specs: open a file in the
// editor, replace a line of it, run the stage, and send a ready-made request.
import type { APIRequestContext } from '@playwright/test';
import { expect, type Page } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

/** A stage's files exactly as the workbench loads them. */
export async function stageFiles(request: APIRequestContext, stage: string): Promise<Record<string, string>> {
  return ((await (await request.get(`/runtime/files/${stage}.json`)).json()) as { files: Record<string, string> }).files;
}

/** The 1-based number of the first line of `file` that contains `text`, as `grep -n` finds it. */
export function lineOf(source: string, text: string): number {
  const line = source.split('\n').findIndex((l) => l.includes(text)) + 1;
  expect(line, `a line containing ${text}`).toBeGreaterThan(0);
  return line;
}

/** Opens `path` from the Files tree in the editor and waits until the editor has focus. */
export async function openInEditor(page: Page, path: string): Promise<void> {
  const wb = workbench(page);
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await wb.getByRole('treeitem', { name: new RegExp(`^${escaped}(, modified)?$`) }).click();
  await wb.getByRole('tabpanel', { name: path.split('/').at(-1)! }).click();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused({ timeout: 15_000 });
}

/** Replaces the whole of line `line` (1-based) of the open file, keeping its indentation. */
export async function replaceLine(page: Page, line: number, text: string): Promise<void> {
  await page.keyboard.press('Control+g');
  await page.keyboard.insertText(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.insertText(text);
}

export async function pressRun(page: Page, timeout = 30_000): Promise<void> {
  const wb = workbench(page);
  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout });
}

/** Picks a ready-made request, sends it, and waits for ITS answer (the one before may look alike). */
export async function send(page: Page, label: string): Promise<string> {
  const wb = workbench(page);
  const response = wb.getByRole('region', { name: 'Response' });
  const before = (await response.textContent()) ?? '';
  await wb.getByRole('button', { name: label, exact: true }).click();
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect.poll(async () => (await response.textContent()) ?? '', { timeout: 30_000 }).not.toBe(before);
  await expect(response).toContainText(/\d{3} [A-Z]/);
  return (await response.textContent()) ?? '';
}
