// Chapter 12's closing section, as a reader uses it: the extraction calculator inside the
// chapter. Score a module by hand and read the verdict; load the shop's presets and see the
// three verdicts; a chatty module is warned about whatever its total.
import { expect, test, type Locator } from '../fixtures.ts';

const stage = '12-running-it-for-real';

test('the chapter\'s calculator scores a module and gives the verdict and its reasons', async ({ page }) => {
  await page.goto(`/chapters/${stage}/`);
  await expect(page.getByRole('heading', { level: 2, name: 'Should it be a service?' })).toBeVisible();
  // The chapter's own calculator (the workbench beside it has a status of its own).
  const calculator = page.getByRole('form', { name: 'Extraction calculator' });
  await expect(calculator).toHaveCount(1);
  const verdict = calculator.getByRole('status');
  const criterion = (name: string): Locator => calculator.getByRole('group', { name, exact: true });
  const pick = async (name: string, level: RegExp) => criterion(name).getByRole('radio', { name: level }).check();

  // By hand: five points are not enough, one more reaches the threshold.
  await pick('Independent scaling', /^2-3x the rest/);
  await pick('Team ownership', /^Sometimes a separate team/);
  await expect(verdict).toContainText('Total so far: 2 of 10');
  await pick('Deploy cadence', /^Sometimes alone/);
  await pick('Compliance or security isolation', /^Audit needs/);
  await pick('Communication independence', /^Moderate/);
  await expect(verdict).toContainText('Total: 5 of 10');
  await expect(verdict).toContainText('Keep it in the monolith');
  await pick('Compliance or security isolation', /^Hard isolation/);
  await expect(verdict).toContainText('Total: 6 of 10');
  await expect(verdict).toContainText('Extract it');

  // The shop's modules, as the chapter's last section discusses them.
  const presets = calculator.getByRole('group', { name: /Load our scores/ });
  const load = async (name: string) => presets.getByRole('button', { name, exact: true }).click();
  await load('Payments');
  await expect(verdict).toContainText('Payments: Extract it');
  await load('Inventory');
  await expect(verdict).toContainText('Inventory: Keep it in the monolith');
  await load('Orders');
  await expect(verdict).toContainText('Total: 6 of 10');
  await expect(verdict).toContainText('Borderline: fix the chattiness before extracting');
  // Less chatty, the same module is worth extracting.
  await pick('Communication independence', /^Moderate/);
  await expect(verdict).toContainText('Total: 7 of 10');
  await expect(verdict).toContainText('Extract it');
});
