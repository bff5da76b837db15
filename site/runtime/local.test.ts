// The Local runtime adapter against a stubbed fetch: how it reads the event stream, and how
// it turns the runner's refusals into errors a reader can act on.
import { describe, expect, it, vi } from 'vitest';
import { createLocalRuntime, localRunnerToken, readLines } from './local.ts';
import { RuntimeError, type RunListener, type RunStep } from './port.ts';

const base = 'http://localhost:4321';
const token = 'a'.repeat(64);

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: any;
}

/** A byte stream delivered in exactly these chunks, then closed, broken or left open. */
function streamOf(chunks: (string | Uint8Array)[], { endWith = 'close' as 'close' | 'error' | 'hang' } = {}) {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk !== undefined) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      else if (endWith === 'close') controller.close();
      else if (endWith === 'error') controller.error(new TypeError('network error'));
      else return new Promise<void>(() => {});
    },
  });
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const ndjson = (events: unknown[]) => events.map((event) => JSON.stringify(event) + '\n').join('');

/** Stubs fetch with a handler per "METHOD path"; records every call. */
function stubFetch(routes: Record<string, (call: Call) => Response | Promise<Response>>) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const call: Call = {
      method: init.method ?? 'GET',
      url,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const path = url.slice(base.length);
    const route = Object.entries(routes).find(([key]) => {
      const [method, pattern] = key.split(' ');
      return method === call.method && new RegExp(`^${pattern}$`).test(path);
    });
    if (!route) throw new Error(`unexpected ${call.method} ${path}`);
    return route[1](call);
  });
  return calls;
}

function recorder() {
  const steps: [RunStep, string | undefined][] = [];
  let output = '';
  const listener: RunListener = {
    output: (text) => (output += text),
    status: (step, detail) => steps.push([step, detail]),
  };
  return { listener, steps, output: () => output };
}

describe('localRunnerToken', () => {
  it('reads the meta tag the local server puts into its pages', () => {
    vi.stubGlobal('document', { querySelector: (selector: string) => (selector === 'meta[name="local-runner"]' ? { getAttribute: () => token } : null) });
    expect(localRunnerToken()).toBe(token);
  });

  it('is undefined on a static host, where pages have no such tag', () => {
    vi.stubGlobal('document', { querySelector: () => null });
    expect(localRunnerToken()).toBeUndefined();
  });
});

describe('readLines', () => {
  it('joins lines split across chunks, multi-byte characters included', async () => {
    const bytes = new TextEncoder().encode('{"a":"café"}\n{"b":1}');
    const lines: string[] = [];
    // Split inside "é" (two bytes) and inside the second line, which has no final newline.
    await readLines(streamOf([bytes.slice(0, 10), bytes.slice(10, 15), bytes.slice(15)]), (line) => lines.push(line));
    expect(lines).toEqual(['{"a":"café"}', '{"b":1}']);
  });
});

describe('a run', () => {
  it('posts the files with the token, then streams output and steps until ready', async () => {
    const events = ndjson([
      { type: 'status', step: 'mounting' },
      { type: 'status', step: 'starting' },
      { type: 'output', text: 'shop ready on http://127.0.0.1:5000\n' },
      { type: 'status', step: 'ready', url: 'http://127.0.0.1:5000' },
    ]);
    const calls = stubFetch({
      'POST /__runner/runs': () => json(201, { id: 'run-1' }),
      // The stream arrives in awkward pieces: mid-line and mid-JSON.
      'GET /__runner/runs/run-1/events': () => new Response(streamOf([events.slice(0, 7), events.slice(7, 80), events.slice(80)], { endWith: 'hang' })),
    });
    const runtime = createLocalRuntime(token, base);
    expect(runtime.kind).toBe('local');
    const seen = recorder();
    const run = await runtime.start('main', '01-single-file', { 'src/shop.ts': 'edited' }, seen.listener);
    expect(await run.ready).toBe('http://127.0.0.1:5000');
    expect(seen.steps).toEqual([['mounting', undefined], ['starting', undefined], ['ready', 'http://127.0.0.1:5000']]);
    expect(seen.output()).toBe('shop ready on http://127.0.0.1:5000\n');
    const start = calls[0]!;
    expect(start.headers['x-local-runner-token']).toBe(token);
    expect(start.body).toMatchObject({ slot: 'main', stage: '01-single-file', files: { 'src/shop.ts': 'edited' } });
    expect(start.body.client).toMatch(/^[0-9a-f]{24}$/);
    expect(calls[1]!.headers['x-local-runner-token']).toBe(token);
  });

  it('rejects ready with the stage error and resolves exited with the code', async () => {
    stubFetch({
      'POST /__runner/runs': () => json(201, { id: 'run-2' }),
      'GET /__runner/runs/run-2/events': () =>
        new Response(
          streamOf([
            ndjson([
              { type: 'output', text: 'SyntaxError: Unexpected token\n' },
              { type: 'status', step: 'error', message: 'The stage exited with code 1 before it was ready; the output above says why.' },
              { type: 'status', step: 'stopped', code: 1, reason: 'failed' },
            ]),
          ]),
        ),
    });
    const seen = recorder();
    const run = await createLocalRuntime(token, base).start('main', '01-single-file', {}, seen.listener);
    const error = await run.ready.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toContain('exited with code 1');
    expect((error as RuntimeError).remedy).toContain('output');
    expect(await run.exited).toBe(1);
    expect(seen.steps.map(([step]) => step)).toEqual(['error', 'stopped']);
    expect(seen.steps[1]![1]).toBe('Exited with code 1.');
  });

  it('reports a lost connection instead of waiting forever', async () => {
    stubFetch({
      'POST /__runner/runs': () => json(201, { id: 'run-3' }),
      'GET /__runner/runs/run-3/events': () => new Response(streamOf([ndjson([{ type: 'status', step: 'starting' }])], { endWith: 'error' })),
    });
    const seen = recorder();
    const run = await createLocalRuntime(token, base).start('main', '01-single-file', {}, seen.listener);
    const error = (await run.ready.catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.remedy).toContain('npm start');
    expect(await run.exited).toBeNull();
    expect(seen.steps.map(([step]) => step)).toEqual(['starting', 'error', 'stopped']);
  });

  it('sends requests through the runner and stops with DELETE', async () => {
    const calls = stubFetch({
      'POST /__runner/runs': () => json(201, { id: 'run-4' }),
      'GET /__runner/runs/run-4/events': () => new Response(streamOf([ndjson([{ type: 'status', step: 'ready', url: 'http://127.0.0.1:5001' }])], { endWith: 'hang' })),
      'POST /__runner/runs/run-4/request': () => json(200, { status: 200, headers: { 'content-type': 'application/json' }, body: '[]', ms: 1.5 }),
      'DELETE /__runner/runs/run-4': () => json(200, { code: 0 }),
    });
    const runtime = createLocalRuntime(token, base);
    const seen = recorder();
    const run = await runtime.start('main', '01-single-file', {}, seen.listener);
    await run.ready;
    const response = await run.request({ method: 'GET', path: '/products' });
    expect(response).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '[]', ms: 1.5 });
    expect(calls.find((c) => c.url.endsWith('/request'))!.body).toEqual({ method: 'GET', path: '/products' });
    await run.stop();
    expect(await run.exited).toBe(0);
    expect(seen.steps.at(-1)).toEqual(['stopped', 'Stopped.']);
    // The slot is empty now: nothing to measure.
    await expect(runtime.stats!('main')).rejects.toThrow(RuntimeError);
  });

  it('asks the runner for a slot’s processes and memory, and passes on its null', async () => {
    stubFetch({
      'POST /__runner/runs': (call) => json(201, { id: `run-${call.body.slot}` }),
      'GET /__runner/runs/run-[a-z-]+/events': () => new Response(streamOf([], { endWith: 'hang' })),
      'GET /__runner/runs/run-compare-from/stats': () => json(200, { stats: { processes: 1, rssBytes: 90_000_000 } }),
      'GET /__runner/runs/run-compare-to/stats': () => json(200, { stats: null }),
    });
    const runtime = createLocalRuntime(token, base);
    await runtime.start('compare-from', '01-single-file', {}, recorder().listener);
    await runtime.start('compare-to', '02-ports-and-adapters', {}, recorder().listener);
    await expect(runtime.stats!('compare-from')).resolves.toEqual({ processes: 1, rssBytes: 90_000_000 });
    // Off Linux the runner cannot read /proc: null, not a guess.
    await expect(runtime.stats!('compare-to')).resolves.toBeNull();
    await expect(runtime.stats!('main')).rejects.toMatchObject({ name: 'RuntimeError', remedy: 'Press Run first.' });
  });
});

describe('an exercise check', () => {
  it('posts the stage and the files, passes on the check’s output and verdict', async () => {
    const calls = stubFetch({
      'POST /__runner/checks': () => json(200, { passed: false, code: 1, output: '✘ exercise not solved yet\n' }),
    });
    const runtime = createLocalRuntime(token, base);
    let output = '';
    const result = await runtime.check!('main', '07-surviving-the-network', { 'src/a.ts': 'edited' }, { output: (text) => (output += text) });
    expect(result).toEqual({ passed: false, code: 1, output: '✘ exercise not solved yet\n' });
    expect(output).toBe('✘ exercise not solved yet\n');
    expect(calls[0]?.body).toMatchObject({ stage: '07-surviving-the-network', files: { 'src/a.ts': 'edited' } });
    expect(calls[0]?.headers['x-local-runner-token']).toBe(token);
  });

  it('turns a stage without a check into an error that says so', async () => {
    stubFetch({ 'POST /__runner/checks': () => json(404, { error: { code: 'no_check', message: 'Stage "x" has no exercise check to run.' } }) });
    const runtime = createLocalRuntime(token, base);
    await expect(runtime.check!('main', '01-single-file', {}, { output: () => {} })).rejects.toMatchObject({ name: 'RuntimeError', message: 'Stage "x" has no exercise check to run.' });
  });
});

describe('refusals become errors a reader can act on', () => {
  const refusal = (status: number, code: string, message: string) => () => json(status, { error: { code, message } });

  it.each([
    [429, 'too_many_runs', 'Press Stop'],
    [403, 'bad_token', 'reload the page'],
    [403, 'forbidden_host', 'localhost'],
    [413, 'file_too_large', 'Reset files'],
    [400, 'bad_path', 'Rename the file'],
  ])('%i %s', async (status, code, remedy) => {
    stubFetch({ 'POST /__runner/runs': refusal(status, code, `Server says ${code}.`) });
    const error = (await createLocalRuntime(token, base).start('main', '01-single-file', {}, recorder().listener).catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toBe(`Server says ${code}.`);
    expect(error.remedy).toContain(remedy);
  });

  it('a request before the stage is ready', async () => {
    stubFetch({
      'POST /__runner/runs': () => json(201, { id: 'run-5' }),
      'GET /__runner/runs/run-5/events': () => new Response(streamOf([], { endWith: 'hang' })),
      'POST /__runner/runs/run-5/request': refusal(409, 'not_ready', 'The stage is still starting.'),
    });
    const run = await createLocalRuntime(token, base).start('main', '01-single-file', {}, recorder().listener);
    await expect(run.request({ method: 'GET', path: '/products' })).rejects.toMatchObject({ name: 'RuntimeError', remedy: expect.stringContaining('Ready') });
  });

  it('a server that cannot be reached', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await createLocalRuntime(token, base).start('main', '01-single-file', {}, recorder().listener).catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toContain('Could not reach the local server');
    expect(error.remedy).toContain('npm start');
  });

  it('an answer that is not one of the runner errors', async () => {
    stubFetch({ 'POST /__runner/runs': () => new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' }) });
    const error = (await createLocalRuntime(token, base).start('main', '01-single-file', {}, recorder().listener).catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toContain('502');
    expect(error.remedy).toContain('npm start');
  });
});
