// The wake-up half of "poll + wake-up" (stage 10): a connection of its own that LISTENs on
// the queue's channel, so an idle worker claims a new job at once instead of at its next
// poll. JobQueue.enqueue sends the NOTIFY, delivered when the enqueuing transaction commits.
//
// Off unless WAKE_UP=listen. Over pglite-socket (stages 06-11) one connection's NOTIFY never
// reaches another connection's LISTEN (tried: nothing arrives), and the extra connection
// per worker would count against the database process's 16. Polling alone is correct there;
// this is for a real PostgreSQL (stage 12), and stage 12's test/real-postgres.test.ts checks it.

import pg from 'pg';

// #region listen-for-jobs
export function listenForJobs(options: { url: string; channel: string; name: string; onWake: () => void; log?: (line: string) => void }): { close(): Promise<void> } {
  const log = options.log ?? ((line: string) => console.log(line));
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  function connect(): void {
    const fresh = new pg.Client({ connectionString: options.url, application_name: `${options.name}-wake-up` });
    client = fresh;
    const lost = (why: string) => {
      if (client !== fresh || closed) return;
      client = undefined;
      fresh.end().catch(() => {});
      log(`${options.name}: wake-up connection lost (${why}); polling only until it is back`);
      retry = setTimeout(connect, 1_000);
    };
    fresh.on('notification', () => options.onWake());
    fresh.on('error', (error) => lost(error.message));
    fresh.on('end', () => lost('closed'));
    fresh
      .connect()
      .then(() => fresh.query(`LISTEN ${options.channel}`))
      .catch((error: Error) => lost(error.message));
  }
  if (!/^[a-z_]+$/.test(options.channel)) throw new Error(`not a channel name: ${options.channel}`);
  connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
// #endregion listen-for-jobs
