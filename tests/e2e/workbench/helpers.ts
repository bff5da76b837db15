// Shared steps of the workbench's end-to-end tests (role and label locators only).
import { expect, type Page } from '../fixtures.ts';

export const chapter = '/chapters/01-single-file/';
/** The chapter with the Local runtime forced: the project's own server runs the stage. */
export const withLocalRuntime = `${chapter}?runtime=local`;
/** A line the tests add at the top of src/shop.ts; it prints when the stage starts. */
export const editedLine = "console.log('edited in the workbench');";

export const workbench = (page: Page) => page.getByRole('region', { name: 'Workbench' });

/** Clicks the code, which loads the editor, and waits until it has focus. */
export async function openEditor(page: Page): Promise<void> {
  const wb = workbench(page);
  await wb.getByRole('tabpanel', { name: 'shop.ts' }).click();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused({ timeout: 15_000 });
}

/** Adds `editedLine` as the first line of src/shop.ts, through the editor. */
export async function editShop(page: Page): Promise<void> {
  await openEditor(page);
  await page.keyboard.press('Control+Home');
  await page.keyboard.insertText(`${editedLine}\n`);
  await expect(workbench(page).getByRole('treeitem', { name: 'src/shop.ts, modified' })).toBeVisible();
}

export async function runUntilReady(page: Page): Promise<void> {
  const wb = workbench(page);
  await wb.getByRole('button', { name: 'Run' }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 20_000 });
}
