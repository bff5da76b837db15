import { expect, test, type Page } from '../fixtures.ts';

// The extraction calculator on /decide/: the reader scores a module and reads the verdict.
const criterion = (page: Page, name: string) => page.getByRole('group', { name, exact: true });
const verdict = (page: Page) => page.getByRole('status');

async function score(page: Page, levels: Record<string, RegExp>) {
  for (const [name, level] of Object.entries(levels)) await criterion(page, name).getByRole('radio', { name: level }).check();
}

test('the home page and chapter 1 link to the calculator', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Score the module first' }).click();
  await expect(page).toHaveURL(/\/decide\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Should it be a service?');
  await page.goto('/chapters/01-single-file/');
  await expect(page.getByRole('link', { name: /five questions decide when it does/ })).toHaveAttribute('href', '/decide/');
});

test('picking levels updates the total, and the verdict appears at the fifth criterion', async ({ page }) => {
  await page.goto('/decide/');
  await expect(verdict(page)).toContainText('Score the rest');
  await score(page, { 'Independent scaling': /^2-3x the rest/, 'Team ownership': /^Sometimes/ });
  await expect(verdict(page)).toContainText('Total so far: 2 of 10');
  await expect(verdict(page)).toContainText('2 of 5 criteria scored');
  await score(page, { 'Deploy cadence': /^Sometimes alone/, 'Compliance or security isolation': /^Audit needs/, 'Communication independence': /^Moderate/ });
  await expect(verdict(page)).toContainText('Total: 5 of 10');
  await expect(verdict(page)).toContainText('Keep it in the monolith');
  await expect(verdict(page)).toContainText('1 more point');
  // One point more reaches the threshold.
  await score(page, { 'Compliance or security isolation': /^Hard isolation/ });
  await expect(verdict(page)).toContainText('Total: 6 of 10');
  await expect(verdict(page)).toContainText('Extract it');
  await expect(page).toHaveURL(/#scaling=1&team=1&deploy=1&compliance=2&communication=1$/);
});

test('a preset loads our scores for a module, and the reader can change them', async ({ page }) => {
  await page.goto('/decide/');
  const presets = page.getByRole('group', { name: /Load our scores/ });
  await presets.getByRole('button', { name: 'Payments' }).click();
  await expect(presets.getByRole('button', { name: 'Payments' })).toHaveAttribute('aria-pressed', 'true');
  await expect(criterion(page, 'Compliance or security isolation').getByRole('radio', { name: /^Hard isolation/ })).toBeChecked();
  await expect(verdict(page)).toContainText('Total: 6 of 10');
  await expect(verdict(page)).toContainText('Payments: Extract it');
  await expect(verdict(page)).toContainText('Why we scored payments so');

  await score(page, { 'Independent scaling': /^The same as the rest/ });
  await expect(presets.getByRole('button', { name: 'Payments' })).toHaveAttribute('aria-pressed', 'false');
  await expect(verdict(page)).toContainText('Total: 5 of 10');
  await expect(verdict(page)).toContainText('Keep it in the monolith');
  await expect(verdict(page)).not.toContainText('Payments:');

  await presets.getByRole('button', { name: 'Notifications' }).click();
  await expect(verdict(page)).toContainText('Total: 5 of 10');
  await expect(verdict(page)).toContainText('Notifications: Keep it in the monolith');
});

test('a chatty module gets a warning instead of "extract", whatever its total', async ({ page }) => {
  await page.goto('/decide/');
  await page.getByRole('group', { name: /Load our scores/ }).getByRole('button', { name: 'Orders' }).click();
  await expect(verdict(page)).toContainText('Total: 6 of 10');
  await expect(verdict(page)).toContainText('Borderline: fix the chattiness before extracting');
  await expect(verdict(page)).toContainText('network hop');

  await score(page, { 'Compliance or security isolation': /^Hard isolation/ });
  await expect(verdict(page)).toContainText('Total: 8 of 10');
  await expect(verdict(page)).toContainText('Borderline');
  await score(page, { 'Communication independence': /^Moderate/ });
  await expect(verdict(page)).toContainText('Total: 9 of 10');
  await expect(verdict(page)).toContainText('Extract it');
});

test('the scores in the address open the calculator already scored', async ({ page }) => {
  await page.goto('/decide/#scaling=2&team=2&deploy=1&compliance=0&communication=2');
  await expect(criterion(page, 'Team ownership').getByRole('radio', { name: /^A dedicated team/ })).toBeChecked();
  await expect(verdict(page)).toContainText('Total: 7 of 10');
  await expect(verdict(page)).toContainText('Extract it');
  // A scored link pasted while the page is open scores it again.
  await page.goto('/decide/#scaling=0&team=0&deploy=0&compliance=1&communication=0');
  await expect(criterion(page, 'Team ownership').getByRole('radio', { name: /^No separate team/ })).toBeChecked();
  await expect(verdict(page)).toContainText('Total: 1 of 10');
  await expect(verdict(page)).toContainText('Keep it in the monolith');
});

test('a link to a heading of the page keeps the scores, and the heading keeps its anchor', async ({ page }) => {
  await page.goto('/decide/#moves-heading');
  await expect(page).toHaveURL(/#moves-heading$/);
  await score(page, { 'Team ownership': /^A dedicated team/ });
  await expect(page).toHaveURL(/#team=2$/);
  await page.getByRole('link', { name: 'Skip to content' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(criterion(page, 'Team ownership').getByRole('radio', { name: /^A dedicated team/ })).toBeChecked();
  await expect(verdict(page)).toContainText('Total so far: 2 of 10');
});

test('the calculator works with the keyboard alone', async ({ page }) => {
  await page.goto('/decide/');
  await page.getByRole('group', { name: /Load our scores/ }).getByRole('button', { name: 'Orders' }).focus();
  // Tab past the remaining preset to the first criterion, then arrows move within a group.
  await page.keyboard.press('Tab');
  await expect(criterion(page, 'Independent scaling').getByRole('radio', { name: /^The same as the rest/ })).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(criterion(page, 'Independent scaling').getByRole('radio', { name: /^10x or more/ })).toBeChecked();
  await expect(verdict(page)).toContainText('Total so far: 2 of 10');
  for (const name of ['Team ownership', 'Deploy cadence', 'Compliance or security isolation', 'Communication independence']) {
    await page.keyboard.press('Tab');
    await expect(criterion(page, name).getByRole('radio').first()).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(criterion(page, name).getByRole('radio').nth(1)).toBeChecked();
  }
  await expect(verdict(page)).toContainText('Total: 6 of 10');
  await expect(verdict(page)).toContainText('Extract it');

  await page.getByRole('group', { name: /Load our scores/ }).getByRole('button', { name: 'Inventory' }).focus();
  await page.keyboard.press('Enter');
  await expect(verdict(page)).toContainText('Inventory: Keep it in the monolith');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the criteria, their levels and the rule are there to add up by hand', async ({ page }) => {
    await page.goto('/decide/');
    for (const name of ['Independent scaling', 'Team ownership', 'Deploy cadence', 'Compliance or security isolation', 'Communication independence']) {
      await expect(criterion(page, name).getByRole('radio')).toHaveCount(3);
    }
    await expect(page.getByText('6 or more out of 10', { exact: false }).first()).toBeVisible();
    await expect(verdict(page)).toContainText('Add up the points');
    await expect(page.getByRole('button', { name: 'Payments' })).toBeHidden();
    await expect(page.getByRole('table').getByRole('row', { name: /Orders/ })).toContainText('Borderline');
  });
});
