// The parse budget spreads the parsing of large exporter bodies over several
// event-loop turns; what comes out of a scrape must not change because of it.
import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactedUrl } from '../../src/server/metrics/errors';
import { fetchExposition, type FetchOutcome } from '../../src/server/metrics/fetch';
import { ParseBudget } from '../../src/server/metrics/parse-budget';
import { WANTED_METRICS, readInstance } from '../../src/server/metrics/readings';
import { startExporter, type ExporterBehaviour, type LocalExporter } from './scrape-exporters';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the parse budget', () => {
  it('lets work through until the turn is spent, then queues it for later turns in order', async () => {
    const budget = new ParseBudget(10);
    expect(budget.take(6)).toBe(true);
    expect(budget.take(6)).toBe(true);
    expect(budget.take(1)).toBe(false);

    const ran: string[] = [];
    budget.wait(() => (ran.push('first'), 8));
    budget.wait(() => (ran.push('second'), 8));
    budget.wait(() => (ran.push('third'), 8));
    expect(budget.waitingCount).toBe(3);
    // Nothing runs in the turn that queued it.
    expect(ran).toEqual([]);

    // This iteration's budget is spent: the queue waits for the next one.
    await nextTurn();
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['first', 'second']);
    // A newcomer does not overtake the body still waiting.
    expect(budget.take(1)).toBe(false);

    await nextTurn();
    expect(ran).toEqual(['first', 'second', 'third']);
    expect(budget.waitingCount).toBe(0);
    await nextTurn();
    expect(budget.take(10)).toBe(true);
    expect(budget.take(1)).toBe(false);
  });

  it('refuses a budget that could never let anything through', () => {
    expect(() => new ParseBudget(0)).toThrow(RangeError);
  });
});

describe('scrapes sharing a small parse budget', () => {
  const running: LocalExporter[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((exporter) => exporter.close()));
  });

  async function scrape(
    behaviour: ExporterBehaviour,
    budget: ParseBudget | undefined,
  ): Promise<FetchOutcome> {
    const exporter = await startExporter(behaviour);
    running.push(exporter);
    const url = new URL(`http://127.0.0.1:${exporter.port}/metrics`);
    return fetchExposition(
      { url, displayUrl: redactedUrl(url), agent: new http.Agent() },
      { timeoutMs: 10_000, maxBodyBytes: 4 * 1024 * 1024, wanted: WANTED_METRICS, budget },
    );
  }

  it('gives every scrape the outcome it has without a budget', async () => {
    // 1 KiB per turn: nearly every chunk of every body waits for a later turn.
    const budget = new ParseBudget(1024);
    const waits = vi.spyOn(budget, 'wait');
    const behaviours: ExporterBehaviour[] = [
      'healthy',
      'huge',
      'healthy',
      'gzip',
      'gzipBomb',
      'slow',
      'garbage',
      'healthy',
    ];
    const summarize = (outcomes: FetchOutcome[]) =>
      outcomes.map((outcome) =>
        outcome.isOk
          ? `connections ${readInstance(outcome.result).totalConnections}`
          : outcome.error.replace(/^.*\/metrics: /, ''),
      );
    const budgeted = summarize(
      await Promise.all(behaviours.map((behaviour) => scrape(behaviour, budget))),
    );
    const unbudgeted = summarize(
      await Promise.all(behaviours.map((behaviour) => scrape(behaviour, undefined))),
    );

    expect(budgeted).toEqual(unbudgeted);
    // The budget did hold bodies back, and more than once per body. How many
    // times depends on how the chunks happen to arrive (tens to a few hundred
    // on a 2-core machine), so only the order of magnitude is checked; without
    // a budget there would be no waits at all.
    expect(waits.mock.calls.length).toBeGreaterThan(2 * behaviours.length);
    expect(budgeted).toEqual([
      'connections 10',
      'body larger than 4 MiB',
      'connections 10',
      'connections 10',
      'body larger than 4 MiB',
      'connections 10',
      'malformed exposition: line 1: invalid metric name',
      'connections 10',
    ]);
    for (let i = 0; i < 4; i += 1) await nextTurn();
    expect(budget.waitingCount).toBe(0);
  });
});
