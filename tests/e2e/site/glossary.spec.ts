import { expect, test } from '../fixtures.ts';

test('the glossary is one click from every page, and lists terms with the chapters that use them', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Glossary' }).click();
  await expect(page).toHaveURL(/\/glossary\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
  const terms = page.getByRole('region', { name: 'Terms' });
  await expect(terms.getByText('Fencing token', { exact: true })).toBeVisible();
  // A general entry says that no stage uses it, instead of linking to a chapter.
  await expect(page.locator('#change-data-capture + dd')).toContainText('Not used in a stage');
  await expect(page.getByRole('region', { name: 'Further reading' }).getByRole('listitem').first()).toBeVisible();
});

test("a chapter ends with its patterns, each linking to its glossary entry, and the same idea elsewhere", async ({ page }) => {
  await page.goto('/chapters/06-extract-payments/');
  const elsewhere = page.getByRole('region', { name: 'The same idea elsewhere' });
  for (const label of ['Rust (Axum, SQLx, Tonic)', 'Kafka or NATS instead of MQTT', 'gRPC instead of HTTP and JSON']) {
    await expect(elsewhere.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(elsewhere.getByRole('figure')).toContainText('Illustrative sketch in Protocol Buffers: not compiled, not run');

  const patterns = page.getByRole('region', { name: 'Patterns in this chapter' });
  await expect(patterns.getByRole('link', { name: 'Branch by abstraction' })).toBeVisible();
  await patterns.getByRole('link', { name: 'Strangler fig' }).click();
  await expect(page).toHaveURL(/\/glossary\/#strangler-fig$/);
  await expect(page.locator('#strangler-fig')).toBeInViewport();
  // ... and the entry links back to the chapter's list.
  await page.locator('#strangler-fig + dd').getByRole('link', { name: '06. Extract a service behind the same interface' }).click();
  await expect(page).toHaveURL(/\/chapters\/06-extract-payments\/#patterns-in-this-chapter$/);
});
