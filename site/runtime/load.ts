// Chooses the runtime for this page and loads its adapter. Both adapters are reached only
// through `import()`, so a chapter page ships neither until the workbench asks for one; this
// module itself is small and has no dependencies beyond the port.
//
// The choice (see chooseRuntime): `?runtime=webcontainer` or `?runtime=local` forces one;
// otherwise WebContainer when the page is cross-origin isolated and the browser has what it
// needs, falling back to Local when the page was served by the project's own local server
// (it carries <meta name="local-runner" content="TOKEN">) and WebContainer fails to boot.
import { RuntimeError, type RunListener, type Runtime, type RuntimeKind } from './port.ts';

/** What the remedy of every "WebContainer cannot run here" error ends with. */
export const LOCAL_REMEDY = 'Or run everything on your machine: clone the project and run `npm start`; the page it opens uses the Local runtime.';

/** Facts about this browser and page that decide whether WebContainer can run. */
export interface BrowserFacts {
  /** `crossOriginIsolated`: the page was served with COOP/COEP, so SharedArrayBuffer is allowed. */
  isolated: boolean;
  /** Web platform features WebContainer needs that this browser lacks; empty when supported. */
  missing: string[];
  /** Safari on iPhone/iPad (every iOS browser is Safari underneath). */
  ios: boolean;
}

type Scope = {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  Atomics?: { waitAsync?: unknown };
  ReadableStream?: unknown;
  WritableStream?: unknown;
  Worker?: unknown;
  navigator?: { userAgent?: string; maxTouchPoints?: number };
};

export function browserFacts(scope: Scope = globalThis as Scope): BrowserFacts {
  const missing: string[] = [];
  if (typeof scope.SharedArrayBuffer !== 'function') missing.push('SharedArrayBuffer');
  if (typeof scope.Atomics?.waitAsync !== 'function') missing.push('Atomics.waitAsync');
  if (typeof scope.ReadableStream !== 'function' || typeof scope.WritableStream !== 'function') missing.push('Streams');
  if (typeof scope.Worker !== 'function') missing.push('Web Workers');
  const agent = scope.navigator?.userAgent ?? '';
  // iPadOS reports itself as a Mac; a touch screen gives it away.
  const ios = /\b(iPhone|iPad|iPod)\b/.test(agent) || (agent.includes('Macintosh') && (scope.navigator?.maxTouchPoints ?? 0) > 1);
  return { isolated: scope.crossOriginIsolated === true, missing, ios };
}

/**
 * True on iOS/iPadOS until the reader has pressed something: there a WebContainer boots only
 * on an explicit request (a tab's memory is tight, so the page never boots one on its own).
 * The workbench shows a "Start" button while this is true; the adapter's boot waits for the
 * next tap or key press when it is asked to boot without one.
 */
export function needsUserGestureToBoot(scope: Scope & { navigator?: { userActivation?: { isActive?: boolean } } } = globalThis as Scope): boolean {
  return browserFacts(scope).ios && scope.navigator?.userActivation?.isActive !== true;
}

/** The token the local server puts in its pages (the same meta tag local.ts reads). */
export function readLocalRunnerToken(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): string | undefined {
  return doc?.querySelector<HTMLMetaElement>('meta[name="local-runner"]')?.content || undefined;
}

export interface ChoiceInputs {
  /** The page's query string, e.g. "?runtime=local". */
  query: string;
  isolated: boolean;
  supported: boolean;
  /** Set when the page was served by the project's local server. */
  localToken: string | undefined;
}

export interface RuntimeChoice {
  /** Runtimes to try, in order: the first that starts wins. */
  order: RuntimeKind[];
  /** Why, in words (for logs and tests). */
  reason: string;
}

export function chooseRuntime({ query, isolated, supported, localToken }: ChoiceInputs): RuntimeChoice {
  const forced = new URLSearchParams(query).get('runtime');
  if (forced === 'webcontainer' || forced === 'local') return { order: [forced], reason: `forced by ?runtime=${forced}` };
  const ignored = forced === null ? '' : ` (ignored unknown ?runtime=${forced})`;
  if (isolated && supported) {
    return localToken
      ? { order: ['webcontainer', 'local'], reason: `WebContainer can run here; Local if it fails to boot${ignored}` }
      : { order: ['webcontainer'], reason: `WebContainer can run here${ignored}` };
  }
  const why = isolated ? 'this browser lacks what WebContainer needs' : 'the page is not cross-origin isolated';
  if (localToken) return { order: ['local'], reason: `${why}; the page is served by the local server${ignored}` };
  // Nothing else to offer: WebContainer's adapter then explains what is missing and the way out.
  return { order: ['webcontainer'], reason: `${why} and there is no local server${ignored}` };
}

type WebContainerModule = typeof import('./webcontainer.ts');
type LocalModule = { createLocalRuntime(token: string): Runtime };

export interface LoadOptions {
  /** Progress of booting and notes such as a fallback; the same listener as a run's is fine. */
  listener?: Partial<RunListener>;
  /** Defaults to the page's own: location.search, browserFacts(), the local-runner meta tag. */
  query?: string;
  facts?: BrowserFacts;
  localToken?: string;
  /** WebContainer's boot timeout (the adapter's default is 20 s). */
  bootTimeoutMs?: number;
  /** For tests: where the adapters come from. */
  importers?: { webcontainer(): Promise<Pick<WebContainerModule, 'createWebContainerRuntime'>>; local(): Promise<LocalModule> };
}

const defaultImporters = {
  webcontainer: () => import('./webcontainer.ts'),
  local: () => import('./local.ts'),
};

/**
 * The runtime the workbench uses. With a fallback available (WebContainer first, Local
 * second), WebContainer is booted here so a failure can still switch to Local; otherwise
 * booting happens on the first start() and reports through that run's listener.
 * Rejects with a RuntimeError (message and remedy) when no runtime can run.
 */
export async function loadRuntime(options: LoadOptions = {}): Promise<Runtime> {
  const facts = options.facts ?? browserFacts();
  const localToken = options.localToken ?? readLocalRunnerToken();
  const importers = options.importers ?? defaultImporters;
  const choice = chooseRuntime({
    query: options.query ?? globalThis.location?.search ?? '',
    isolated: facts.isolated,
    supported: facts.missing.length === 0,
    localToken,
  });
  let failure: unknown;
  for (const [index, kind] of choice.order.entries()) {
    const fallback = choice.order[index + 1];
    try {
      if (kind === 'local') {
        if (!localToken) {
          throw new RuntimeError(
            'The Local runtime was asked for (?runtime=local), but this page was not served by the project’s local server.',
            'Clone the project, run `npm start`, and open the address it prints; or remove ?runtime=local to use WebContainer.',
          );
        }
        const { createLocalRuntime } = await importers.local();
        return createLocalRuntime(localToken);
      }
      const { createWebContainerRuntime } = await importers.webcontainer();
      const runtime = createWebContainerRuntime(options.bootTimeoutMs === undefined ? {} : { bootTimeoutMs: options.bootTimeoutMs });
      if (fallback) await runtime.boot(options.listener);
      return runtime;
    } catch (error) {
      failure = error;
      if (fallback) options.listener?.output?.(`${kind} runtime could not start: ${(error as Error).message}\nUsing the ${fallback} runtime instead.\n`);
    }
  }
  throw failure;
}
