import { describe, expect, it } from 'vitest';
import { browserFacts, chooseRuntime, loadRuntime, needsUserGestureToBoot, type BrowserFacts } from './load.ts';
import { RuntimeError, type Runtime } from './port.ts';

const base = { query: '', isolated: true, supported: true, localToken: undefined };

describe('chooseRuntime', () => {
  it('uses WebContainer alone on an isolated page of a supported browser', () => {
    expect(chooseRuntime(base).order).toEqual(['webcontainer']);
  });

  it('falls back to Local when the local server served the page', () => {
    expect(chooseRuntime({ ...base, localToken: 't' }).order).toEqual(['webcontainer', 'local']);
  });

  it('goes straight to Local when WebContainer cannot run and the local server is there', () => {
    expect(chooseRuntime({ ...base, isolated: false, localToken: 't' }).order).toEqual(['local']);
    expect(chooseRuntime({ ...base, supported: false, localToken: 't' }).order).toEqual(['local']);
  });

  it('keeps WebContainer (which explains the problem) when nothing else can run', () => {
    const choice = chooseRuntime({ ...base, isolated: false });
    expect(choice.order).toEqual(['webcontainer']);
    expect(choice.reason).toMatch(/not cross-origin isolated/);
  });

  it('obeys ?runtime= whatever the page can do', () => {
    expect(chooseRuntime({ ...base, query: '?runtime=local' }).order).toEqual(['local']);
    expect(chooseRuntime({ ...base, query: '?runtime=webcontainer', isolated: false, localToken: 't' }).order).toEqual(['webcontainer']);
    expect(chooseRuntime({ ...base, query: '?x=1&runtime=local', localToken: 't' }).order).toEqual(['local']);
  });

  it('ignores an unknown ?runtime= value and says so', () => {
    const choice = chooseRuntime({ ...base, query: '?runtime=docker', localToken: 't' });
    expect(choice.order).toEqual(['webcontainer', 'local']);
    expect(choice.reason).toMatch(/ignored unknown \?runtime=docker/);
  });
});

describe('browserFacts', () => {
  const full = { crossOriginIsolated: true, SharedArrayBuffer, Atomics, ReadableStream, WritableStream, Worker: class {}, navigator: { userAgent: 'Chrome', maxTouchPoints: 0 } };

  it('finds nothing missing in a capable isolated browser', () => {
    expect(browserFacts(full)).toEqual({ isolated: true, missing: [], ios: false });
  });

  it('names what is missing', () => {
    expect(browserFacts({ ...full, crossOriginIsolated: false, SharedArrayBuffer: undefined, Atomics: {} }).missing).toEqual(['SharedArrayBuffer', 'Atomics.waitAsync']);
  });

  it('recognises iPhone and iPadOS (which claims to be a Mac)', () => {
    expect(browserFacts({ ...full, navigator: { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' } }).ios).toBe(true);
    expect(browserFacts({ ...full, navigator: { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', maxTouchPoints: 5 } }).ios).toBe(true);
    expect(browserFacts({ ...full, navigator: { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', maxTouchPoints: 0 } }).ios).toBe(false);
  });

  it('asks for a gesture on iOS only outside one', () => {
    const iphone = { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' };
    expect(needsUserGestureToBoot({ ...full, navigator: { ...iphone, userActivation: { isActive: false } } })).toBe(true);
    expect(needsUserGestureToBoot({ ...full, navigator: { ...iphone, userActivation: { isActive: true } } })).toBe(false);
    expect(needsUserGestureToBoot(full)).toBe(false);
  });
});

describe('loadRuntime', () => {
  const capable: BrowserFacts = { isolated: true, missing: [], ios: false };
  const fakeRuntime = (kind: Runtime['kind']): Runtime => ({ kind, start: () => Promise.reject(new Error('unused')) });

  function importers(boot: () => Promise<void>) {
    const loaded: string[] = [];
    return {
      loaded,
      importers: {
        webcontainer: async () => {
          loaded.push('webcontainer');
          return { createWebContainerRuntime: () => ({ ...fakeRuntime('webcontainer'), kind: 'webcontainer' as const, boot }) };
        },
        local: async () => {
          loaded.push('local');
          return { createLocalRuntime: (token: string) => ({ ...fakeRuntime('local'), token }) };
        },
      },
    };
  }

  it('returns WebContainer without booting it when there is nothing to fall back to', async () => {
    let boots = 0;
    const { loaded, importers: imp } = importers(async () => void boots++);
    const runtime = await loadRuntime({ query: '', facts: capable, importers: imp });
    expect(runtime.kind).toBe('webcontainer');
    expect(boots).toBe(0);
    expect(loaded).toEqual(['webcontainer']);
  });

  it('falls back to Local when WebContainer fails to boot, and says why', async () => {
    const { loaded, importers: imp } = importers(() => Promise.reject(new RuntimeError('did not boot within 20 s', 'clone')));
    const output: string[] = [];
    const runtime = await loadRuntime({ query: '', facts: capable, localToken: 'secret', importers: imp, listener: { output: (text) => output.push(text) } });
    expect(runtime.kind).toBe('local');
    expect((runtime as Runtime & { token: string }).token).toBe('secret');
    expect(loaded).toEqual(['webcontainer', 'local']);
    expect(output.join('')).toMatch(/did not boot within 20 s[\s\S]*Using the local runtime instead/);
  });

  it('never loads WebContainer when Local is forced', async () => {
    const { loaded, importers: imp } = importers(async () => {});
    const runtime = await loadRuntime({ query: '?runtime=local', facts: capable, localToken: 't', importers: imp });
    expect(runtime.kind).toBe('local');
    expect(loaded).toEqual(['local']);
  });

  it('explains that ?runtime=local needs the local server', async () => {
    const { importers: imp } = importers(async () => {});
    const error = await loadRuntime({ query: '?runtime=local', facts: capable, importers: imp }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).remedy).toMatch(/npm start/);
  });
});
