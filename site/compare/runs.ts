// Everything the compare page runs, loaded on the reader's first Run both, Run scenario or
// Measure: two Runners (the workbench's, one per runtime slot), the scenario against both,
// and the measurements for the cost panel.
import type { RunListener, ShopRequest, ShopResponse } from '../runtime/port.ts';
import { setStatus, type StatusKind } from '../workbench/client/dom.ts';
import { OutputView } from '../workbench/client/output.ts';
import { fetchStageFiles, getRuntime } from '../workbench/client/page-runtime.ts';
import { describeError, Runner } from '../workbench/client/runner.ts';
import { showCost, type SideCost } from './cost-view.ts';
import { summarise } from './measure.ts';
import { showResults } from './results-view.ts';
import { runBothBudget, runBothRefusal, runBothRemedy } from './run-budget.ts';
import { scenario } from './scenario.ts';
import { latencies, newRunId, pairOutcomes, runScenario, type Send, type StepOutcome } from './scenario-run.ts';

export interface CompareRuns {
  runBoth(): Promise<void>;
  stopBoth(): Promise<void>;
  runScenario(): Promise<void>;
  measure(repetitions: number): Promise<void>;
}

type SideKey = 'from' | 'to';

interface Side {
  key: SideKey;
  stage: string;
  /** "Stage 04", as the page's headings say. */
  label: string;
  slot: string;
  /** The Node processes its stage.json lists (RunBoth.astro writes them at build time). */
  processes: number;
  runner: Runner;
  output: OutputView;
  status: HTMLElement;
  /** As the Runner last reported it: a run is under way (Stop both enabled). */
  state: { running: boolean };
}

/** A request that hangs (a stuck stage) must not hang the scenario: it becomes a problem. */
const requestTimeoutMs = 20_000;
const maxRepetitions = 50;

function find<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`compare: ${selector} is missing from the page`);
  return found;
}

export function createCompareRuns(root: HTMLElement): CompareRuns {
  const button = (action: string) => find<HTMLButtonElement>(root, `[data-action="${action}"]`);
  const results = find<HTMLElement>(root, '[data-results]');
  const scenarioProgress = find<HTMLElement>(root, '[data-scenario-progress]');
  const measureForm = find<HTMLFormElement>(root, '[data-measure-form]');
  const measureProgress = find<HTMLElement>(root, '[data-measure-progress]');
  const cost = find<HTMLTableElement>(root, '[data-cost]');

  const updateStop = () => {
    button('stop-both').disabled = !sides.some((side) => side.state.running);
  };
  const sides: Side[] = (['from', 'to'] as const).map((key) => {
    const element = find<HTMLElement>(root, `[data-side="${key}"]`);
    const stage = element.dataset.stage ?? '';
    const status = find<HTMLElement>(element, '[data-status]');
    const output = new OutputView(find(element, '[data-output]'), find(element, '[data-output-scroll]'));
    const state = { running: false };
    const slot = `compare-${key}`;
    const view = {
      status: (text: string, kind: StatusKind, remedy?: string) => setStatus({ status }, text, kind, remedy),
      output: (text: string) => output.append(text),
      running: (active: boolean) => {
        state.running = active;
        updateStop();
      },
    };
    const processes = Number(element.dataset.processes) || 0;
    return { key, stage, label: element.dataset.label ?? stage, slot, processes, runner: new Runner(stage, view, getRuntime, slot), output, status, state };
  });
  const [from, to] = sides as [Side, Side];

  let busy = false;
  const setBusy = (value: boolean) => {
    busy = value;
    button('run-scenario').disabled = value;
    (measureForm.querySelector('button') as HTMLButtonElement).disabled = value;
  };

  /**
   * Rejects, saying so on both status lines, when the two stages together are more than this
   * runtime should run side by side (a browser tab's memory). The runtime is asked only when
   * the pair is over the budget at all, so a small pair starts as quickly as before.
   */
  async function checkBudget(): Promise<void> {
    if (sides.reduce((sum, side) => sum + side.processes, 0) <= runBothBudget) return;
    const runtime = await getRuntime(quiet).catch(() => undefined); // (a failed load is the runners' to report)
    const refusal = runtime && runBothRefusal(sides, runtime.kind);
    if (!refusal) return;
    for (const side of sides) setStatus(side, refusal, 'error', runBothRemedy);
    throw new Error(refusal.replace(/\.$/, '')); // (the scenario's progress line adds its own)
  }

  /** Starts these sides together; rejects naming each side that did not reach Ready. */
  async function start(list: Side[]): Promise<void> {
    await checkBudget();
    let files;
    try {
      files = await Promise.all(list.map((side) => fetchStageFiles(side.stage)));
    } catch (error) {
      const { message } = describeError(error);
      for (const side of list) setStatus(side, `Error: ${message}`, 'error', 'Check your connection, then press Run both again.');
      throw error;
    }
    for (const side of list) side.output.clear();
    const started = await Promise.allSettled(list.map((side, i) => side.runner.start(files[i]!)));
    const failed = list.filter((_, i) => started[i]!.status === 'rejected');
    if (failed.length) throw new Error(`${failed.map((side) => side.label).join(' and ')} did not start: the status says why`);
  }

  const ensureRunning = () => start(sides.filter((side) => !side.runner.active));

  const sender = (side: Side): Send => (request: ShopRequest) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer after ${requestTimeoutMs / 1000} s`)), requestTimeoutMs);
    });
    return Promise.race([side.runner.request(request), timeout]).finally(() => clearTimeout(timer)) as Promise<ShopResponse>;
  };

  /** Runs `work` unless another scenario or measurement is under way; reports what stops it. */
  async function exclusive(progress: HTMLElement, work: () => Promise<void>): Promise<void> {
    if (busy) return;
    setBusy(true);
    try {
      if (sides.some((side) => !side.runner.active)) progress.textContent = 'Starting both stages…';
      await ensureRunning();
      await work();
    } catch (error) {
      progress.textContent = `Stopped: ${describeError(error).message}.`;
    } finally {
      setBusy(false);
    }
  }

  const quiet: RunListener = { output: () => {}, status: () => {} };

  return {
    async runBoth() {
      await start(sides).catch(() => {
        // Each side's status line already says what went wrong and what to do.
      });
    },

    async stopBoth() {
      await Promise.all(sides.map((side) => side.runner.stop()));
    },

    runScenario: () =>
      exclusive(scenarioProgress, async () => {
        const run = newRunId();
        const outcomes: Record<SideKey, StepOutcome[]> = { from: [], to: [] };
        // One stage after the other, so neither's latency includes the other's work.
        for (const side of sides) {
          scenarioProgress.textContent = `Running the scenario on ${side.label}…`;
          outcomes[side.key] = await runScenario(scenario.steps, sender(side), run);
        }
        showResults(results, pairOutcomes(scenario, outcomes.from, outcomes.to), { from: from.label, to: to.label });
        scenarioProgress.textContent = `Done: ${scenario.steps.length} requests on each stage.`;
      }),

    measure: (asked) =>
      exclusive(measureProgress, async () => {
        const repetitions = Math.min(Math.max(Math.round(asked) || 1, 1), maxRepetitions);
        const ms: Record<SideKey, number[]> = { from: [], to: [] };
        const failed: Record<SideKey, number> = { from: 0, to: 0 };
        // The stages take turns, one run each, so a busy moment on the machine hits both alike.
        for (let i = 0; i < repetitions; i++) {
          measureProgress.textContent = `Measuring: run ${i + 1} of ${repetitions}…`;
          const run = newRunId(i);
          for (const side of sides) {
            const outcomes = await runScenario(scenario.steps, sender(side), run);
            ms[side.key].push(...latencies(outcomes));
            failed[side.key] += outcomes.length - latencies(outcomes).length;
          }
        }
        const runtime = await getRuntime(quiet);
        const measured = async (side: Side): Promise<SideCost> => ({
          latency: summarise(ms[side.key]),
          failed: failed[side.key],
          stats: runtime.stats ? await runtime.stats(side.slot).catch(() => null) : null,
        });
        showCost(cost, { repetitions, steps: scenario.steps.length, runtime: runtime.kind, labels: { from: from.label, to: to.label }, from: await measured(from), to: await measured(to) });
        measureProgress.textContent = `Done: the scenario ${repetitions} times on each stage.`;
      }),
  };
}
