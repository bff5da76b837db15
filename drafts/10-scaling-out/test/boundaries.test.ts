// Stage 08's boundary rules hold for the new files too: code outside the notifications module
// (the worker process) imports only its index.ts, and the queue's tables stay in the
// notifications schema with no foreign key into another module's.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkModuleBoundaries } from '../../../examples/08-message-broker/src/boundaries.ts';
import { checkSchemaBoundaries } from '../src/adapters/migrations.ts';
import { openTestDatabase } from './support.ts';

it('the draft keeps to the module boundaries', () => {
  assert.deepEqual(checkModuleBoundaries(new URL('../src/', import.meta.url)), []);
});

it('the job queue\'s migration keeps to the schema boundaries', async () => {
  const db = await openTestDatabase();
  try {
    assert.deepEqual(await checkSchemaBoundaries(db), []);
    const tables = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'notifications' ORDER BY 1",
    );
    assert.deepEqual(tables.rows.map((t) => t.name), ['jobs', 'notifications', 'processed_events', 'sent_messages']);
  } finally {
    await db.close();
  }
});
