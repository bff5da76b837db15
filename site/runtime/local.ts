// The Local runtime: the project's own server (`npm start`) runs the stage in real Node
// processes on the reader's machine, behind the HTTP API in server/runner/api.ts. Only pages
// served by that server carry <meta name="local-runner" content="TOKEN">, so the tag's
// presence is how a page knows this runtime is available. Loaded by dynamic import: keep it
// free of heavy imports.
import type { RunEvent, RunnerErrorCode } from './wire.ts';
import { RuntimeError, type CheckResult, type FileMap, type RunListener, type RunningStage, type RunStats, type Runtime, type ShopRequest, type ShopResponse } from './port.ts';

const tokenHeader = 'x-local-runner-token';

/** The runner token of the server that sent this page, or undefined on a static host. */
export function localRunnerToken(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const content = document.querySelector<HTMLMetaElement>('meta[name="local-runner"]')?.getAttribute('content');
  return content ? content : undefined;
}

const restartRemedy = 'Check that `npm start` is still running in your terminal (start it again if not), then reload this page.';

/** What a reader can do about each refusal of the runner, by its error code. */
const remedies: Partial<Record<RunnerErrorCode, string>> = {
  missing_token: 'Open the address `npm start` printed in your terminal (it ends in ?token=…), then come back to this page.',
  bad_token: 'The local server was restarted with another token: open the address `npm start` printed (it ends in ?token=…), then reload the page.',
  forbidden_host: 'Open the tutorial at the address `npm start` printed (http://localhost:…), not through another name.',
  forbidden_origin: 'Open the tutorial at the address `npm start` printed (http://localhost:…).',
  too_many_runs: 'Press Stop on a running stage (in this tab or another one), then press Run again.',
  file_too_large: 'Make the large file smaller, or press Reset files to go back to the original files.',
  files_too_large: 'Remove some of the text you added, or press Reset files to go back to the original files.',
  too_many_files: 'Remove some of the files you added, or press Reset files.',
  body_too_large: 'Remove some of the text you added, or press Reset files.',
  bad_path: 'Rename the file to a plain path inside the stage folder (like src/shop.ts), or press Reset files.',
  bad_files: 'Press Reset files, then Run again.',
  bad_stage: 'Reload the page; if it keeps happening, the chapter names a stage that does not exist.',
  unknown_stage: 'Rebuild and restart the site (`npm start`), then reload the page.',
  no_check: 'This stage has no exercise check; the chapter says how to try its exercise.',
  too_many_checks: 'Wait a moment for the other checks to finish, then press Check again.',
  run_not_found: 'The run has ended: press Run to start the stage again.',
  run_stopped: 'Press Run to start the stage again.',
  not_ready: 'Wait until the status reads Ready, then send the request again.',
  bad_request_path: 'Write the path of a route on the shop, starting with "/", like /products.',
  bad_request: 'Check the method, headers and body of the request.',
  stage_unreachable: 'Look at the output for the reason the stage stopped answering, fix it, then press Run again.',
  stage_timeout: 'The stage may be stuck: look at the output, then press Stop and Run.',
  response_too_large: 'Ask for less, for example with a query that returns fewer items.',
  closing: 'The local server is shutting down: start it again with `npm start`, then reload the page.',
};

/** A refusal of the runner as a RuntimeError, with a remedy the reader can act on. */
export async function errorFromResponse(res: Response): Promise<RuntimeError> {
  let code = '';
  let message = '';
  try {
    // Checked field by field: a proxy or an old server may answer something else.
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    code = typeof body.error?.code === 'string' ? body.error.code : '';
    message = typeof body.error?.message === 'string' ? body.error.message : '';
  } catch {
    // not one of the runner's JSON errors (a proxy, an old server)
  }
  const error = new RuntimeError(
    message || `The local server answered ${res.status} ${res.statusText}.`.replace(' .', '.'),
    remedies[code as RunnerErrorCode] ?? restartRemedy,
  );
  return Object.assign(error, { code: code || `http_${res.status}` });
}

const unreachable = () =>
  new RuntimeError('Could not reach the local server that runs the stages.', restartRemedy);

/** Calls the text of each complete line of a byte stream, however the stream is chunked. */
export async function readLines(body: ReadableStream<Uint8Array>, line: (text: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (text.trim() !== '') line(text);
    }
    if (done) {
      if (buffer.trim() !== '') line(buffer);
      return;
    }
  }
}

type Stopped = Extract<RunEvent, { step: 'stopped' }>;

function stoppedDetail({ reason, code }: Stopped): string {
  switch (reason) {
    case 'exited':
    case 'failed':
      return `Exited with code ${code ?? 'unknown'}.`;
    case 'replaced':
      return 'Replaced by a new run.';
    case 'idle':
      return 'Stopped after a long time without activity. Press Run to start it again.';
    case 'disconnected':
      return 'Stopped because the page lost its connection to the local server.';
    case 'shutdown':
      return 'The local server was stopped.';
    default:
      return 'Stopped.';
  }
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function createLocalRuntime(token: string, base: string = location.origin): Runtime {
  // Slots belong to this page: another tab's "main" slot is another run.
  const client = randomId();
  const runs = new Map<string, string>();

  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${base}/__runner${path}`, {
        method,
        headers: { [tokenHeader]: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
        cache: 'no-store',
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw unreachable();
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  function follow(id: string, slot: string, listener: RunListener): RunningStage {
    const controller = new AbortController();
    let resolveReady: (url: string) => void = () => {};
    let rejectReady: (error: RuntimeError) => void = () => {};
    let resolveExited: (code: number | null) => void = () => {};
    const ready = new Promise<string>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    // A caller that only awaits `exited` must not see an unhandled rejection.
    ready.catch(() => {});
    const exited = new Promise<number | null>((resolve) => (resolveExited = resolve));
    let finished = false;

    const finish = (code: number | null, detail: string) => {
      if (finished) return;
      finished = true;
      if (runs.get(slot) === id) runs.delete(slot);
      rejectReady(new RuntimeError(`The stage stopped before it was ready. ${detail}`, 'Look at the output for the reason, fix it, then press Run again.'));
      listener.status('stopped', detail);
      resolveExited(code);
      controller.abort();
    };

    const handle = (event: RunEvent) => {
      if (finished) return;
      if (event.type === 'output') listener.output(event.text);
      else if (event.step === 'ready') {
        listener.status('ready', event.url);
        resolveReady(event.url);
      } else if (event.step === 'error') {
        listener.status('error', event.message);
        rejectReady(new RuntimeError(event.message, 'Look at the output for the reason, fix it, then press Run again.'));
      } else if (event.step === 'stopped') finish(event.code, stoppedDetail(event));
      else listener.status(event.step);
    };

    void (async () => {
      const res = await call('GET', `/runs/${encodeURIComponent(id)}/events`, undefined, controller.signal);
      if (!res.body) throw unreachable();
      await readLines(res.body, (line) => handle(JSON.parse(line) as RunEvent));
      if (!finished) throw unreachable();
    })().catch((error: unknown) => {
      if (finished) return;
      const failure = error instanceof RuntimeError ? error : unreachable();
      listener.status('error', failure.message);
      rejectReady(failure);
      finish(null, 'The connection to the local server was lost.');
    });

    return {
      ready,
      exited,
      async request(request: ShopRequest): Promise<ShopResponse> {
        const res = await call('POST', `/runs/${encodeURIComponent(id)}/request`, request);
        return (await res.json()) as ShopResponse;
      },
      async stop(): Promise<void> {
        if (finished) return;
        try {
          const res = await call('DELETE', `/runs/${encodeURIComponent(id)}`);
          const { code } = (await res.json()) as { code: number | null };
          finish(code, 'Stopped.');
        } catch (error) {
          // Already gone on the server: nothing is left to stop.
          if ((error as { code?: string }).code === 'run_not_found') finish(null, 'Stopped.');
          else throw error;
        }
      },
    };
  }

  return {
    kind: 'local',
    async start(slot: string, stage: string, files: FileMap, listener: RunListener): Promise<RunningStage> {
      const res = await call('POST', '/runs', { slot, stage, files, client });
      const { id } = (await res.json()) as { id: string };
      runs.set(slot, id);
      return follow(id, slot, listener);
    },
    async check(_slot, stage, files, listener): Promise<CheckResult> {
      // Its own workspace on the server, so the slot's run (if any) is left as it is.
      const res = await call('POST', '/checks', { stage, files, client });
      const result = (await res.json()) as CheckResult;
      if (result.output) listener.output(result.output);
      return result;
    },
    async stats(slot: string): Promise<RunStats | null> {
      const id = runs.get(slot);
      if (!id) throw new RuntimeError('No stage is running to measure.', 'Press Run first.');
      const res = await call('GET', `/runs/${encodeURIComponent(id)}/stats`);
      return ((await res.json()) as { stats: RunStats | null }).stats;
    },
  };
}
