// The WebContainer adapter: runs a stage in StackBlitz's in-browser Node. Loaded only through
// load.ts's `import()` (by way of ../webcontainer.ts). The parts, each in a file of its own:
//   boot.ts      the one boot per page (checks, iOS tap, API key, our timeout)
//   prepare.ts   once per boot: pin Node (pin.ts), dependency snapshot, helpers, probe (probe.ts)
//   files.ts     a slot's workspace: mount once, then write what changed
//   spawn.ts     the stage's start command, spawned as `node …` directly
//   run.ts       one run: output, readiness (../readiness.ts), Stop and its ports
//   requests.ts  requests to the running stage, made inside the container
//   check.ts     the exercise check, `node <its file>` in a workspace of its own
//   state.ts     what the page keeps across runtimes, stages and slots
//
// Workspace layout inside the container (paths relative to its workdir), mirroring the repo:
//   package.json, .nvmrc                 pin the container's Node (pin.ts)
//   node_modules/                        the ONE dependency snapshot, mounted once per boot
//   runtime/                             the request helper and the Node probe
//   slots/<slot>/examples/<stage>/...    the stage's files with the reader's edits
//   slots/<slot>/examples/contract/...   the contract suite (stages import it by relative path)
// Node resolves bare imports by walking up from the file, so every slot finds node_modules/.
// A slot is a workspace of its own so two slots can run the same stage with different edits,
// and slots run at the same time (the compare page's "Run both"): each has its own PORT
// (3000, 3001, ... in the order slots are first used), so stages derive internal ports from
// PORT in steps larger than one.
//
// API key: a commercial deployment needs a StackBlitz licence key. Set PUBLIC_WEBCONTAINER_API_KEY
// at build time (`PUBLIC_WEBCONTAINER_API_KEY=wc_api_... npm run build`); it is passed to
// configureAPIKey() before the first boot. Unset, the free (open-source/personal) terms apply.
import type { BootOptions } from '@webcontainer/api';
import type { BrowserFacts } from '../browser-facts.ts';
import type { FileMap, RunListener, RunningStage, Runtime } from '../port.ts';
import type { WebContainerApi } from './api.ts';
import { bootInstance } from './boot.ts';
import { checkInContainer } from './check.ts';
import { describe } from './errors.ts';
import { fetchContractFiles, sync, workspace } from './files.ts';
import { prepare } from './prepare.ts';
import { startRun } from './run.ts';
import { startCommand, withTypeStripping } from './spawn.ts';
import { stateFor, type SlotState } from './state.ts';
import { chooseProfile, deviceFacts, type Profile } from '../profile.ts';

export interface WebContainerRuntimeOptions {
  /** Give up waiting for boot after this long: without its host the API never settles. Default 20 s. */
  bootTimeoutMs?: number;
  /** How long the stage may take to print its ready line and answer /health. Default 60 s. */
  startTimeoutMs?: number;
  /** After Stop, how long to wait for the stage's ports to close. Default 5 s. */
  portCloseTimeoutMs?: number;
  /** The first slot's PORT; each further slot gets the next one. Default 3000. */
  basePort?: number;
  /** Where the site is served from (`/runtime/...` is fetched below it). Default: Astro's BASE_URL. */
  baseUrl?: string;
  /** StackBlitz licence key. Default: the build-time PUBLIC_WEBCONTAINER_API_KEY. */
  apiKey?: string;
  /** Must match the page's Cross-Origin-Embedder-Policy (deploy/isolation-headers.json). */
  coep?: BootOptions['coep'];
  /** For tests. */
  api?: WebContainerApi;
  fetch?: typeof fetch;
  facts?: BrowserFacts;
  /** Which profile heavy stages run with (../profile.ts). Default: chosen from this device. */
  profile?: Profile;
  waitForGesture?: () => Promise<void>;
}

export interface WebContainerRuntime extends Runtime {
  readonly kind: 'webcontainer';
  /** Boots (once per page) and mounts the dependency snapshot; start() does this by itself. */
  boot(listener?: Partial<RunListener>): Promise<void>;
}

export function createWebContainerRuntime(options: WebContainerRuntimeOptions = {}): WebContainerRuntime {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const portCloseTimeoutMs = options.portCloseTimeoutMs ?? 5_000;
  const basePort = options.basePort ?? 3000;
  const baseUrl = (options.baseUrl ?? import.meta.env?.BASE_URL ?? '/').replace(/\/?$/, '/');
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const state = stateFor(options.api);
  const profile = options.profile ?? chooseProfile(deviceFacts());
  const bootSettings = {
    timeoutMs: options.bootTimeoutMs ?? 20_000,
    apiKey: options.apiKey ?? (import.meta.env?.PUBLIC_WEBCONTAINER_API_KEY as string | undefined),
    coep: options.coep,
    api: options.api,
    facts: options.facts,
    waitForGesture: options.waitForGesture,
  };

  function slotFor(slot: string): SlotState {
    let found = state.slots.get(slot);
    if (!found) state.slots.set(slot, (found = { port: basePort + state.slots.size, hashes: new Map() }));
    return found;
  }

  async function boot(listener: Partial<RunListener> = {}): Promise<void> {
    try {
      await prepare(state, await bootInstance(state, bootSettings, listener), fetchFn, baseUrl, listener);
    } catch (error) {
      listener.status?.('error', describe(error));
      throw error;
    }
  }

  async function writeStage(slot: string, stage: string, files: FileMap): Promise<void> {
    state.contract ??= fetchContractFiles(fetchFn, baseUrl);
    const contract = await state.contract.catch((error) => {
      state.contract = undefined;
      throw error;
    });
    const wanted: FileMap = {};
    for (const [path, text] of Object.entries(contract)) wanted[`examples/contract/${path}`] = text;
    for (const [path, text] of Object.entries(files)) wanted[`examples/${stage}/${path}`] = text;
    await sync(state.instance!, slot, slotFor(slot), wanted);
  }

  async function start(slot: string, stage: string, files: FileMap, listener: RunListener): Promise<RunningStage> {
    const current = slotFor(slot);
    // Resolves once the previous run's processes and ports are gone.
    await current.run?.stop();
    await boot(listener);
    state.reportError.set(slot, (text) => listener.output(text));
    if (state.probeReport) {
      listener.output(state.probeReport);
      state.probeReport = undefined;
    }

    // Only stages that read SHOP_PROFILE run fewer copies; say so where it changes something.
    const profiled = Object.values(files).some((text) => text.includes('SHOP_PROFILE'));
    if (profile.note && profiled) listener.output(`${profile.note}\n`);

    listener.status('mounting', 'Writing the stage’s files…');
    try {
      await writeStage(slot, stage, files);
    } catch (error) {
      listener.status('error', describe(error));
      throw error;
    }

    return startRun({
      state,
      instance: state.instance!,
      slot,
      current,
      cwd: `${workspace(slot)}/examples/${stage}`,
      start: withTypeStripping(startCommand(files['package.json']), state.probe),
      env: profiled ? profile.env : {},
      listener,
      startTimeoutMs,
      portCloseTimeoutMs,
    });
  }

  /** The exercise check's own workspace, beside the slot's, so a running stage is left alone. */
  async function prepareCheck(slot: string, stage: string, files: FileMap) {
    await boot();
    const checkSlot = `${slot}-check`;
    await writeStage(checkSlot, stage, files);
    return { instance: state.instance!, cwd: `${workspace(checkSlot)}/examples/${stage}`, probe: state.probe };
  }

  return {
    kind: 'webcontainer',
    boot,
    start,
    check: (slot, stage, files, listener) => checkInContainer(() => prepareCheck(slot, stage, files), stage, files, listener, { timeoutMs: startTimeoutMs }),
    // The container exposes no process table or per-process memory to the page.
    stats: async () => null,
  };
}

export { needsUserGestureToBoot } from '../browser-facts.ts';
export type { WebContainerApi, WebContainerLike } from './api.ts';
export { fetchContractFiles, hashText, toTree } from './files.ts';
export { REQUEST_HELPER } from './requests.ts';
