/** A scrape error in plain words: a short line for lists and a sentence for details. */
export interface ScrapeErrorText {
  short: string;
  explanation: string;
}

const rules: { pattern: RegExp; text: ScrapeErrorText }[] = [
  {
    pattern: /not available yet/i,
    text: {
      short: 'not scraped yet',
      explanation: 'Deckhand has not scraped this yet; the first scrape runs shortly after start.',
    },
  },
  {
    pattern: /refused/i,
    text: {
      short: 'exporter refused',
      explanation:
        'The metrics exporter refused the connection: the pod may be starting, or its metrics port is closed.',
    },
  },
  {
    pattern: /timeout|timed out|deadline/i,
    text: {
      short: 'exporter too slow',
      explanation: 'The metrics exporter did not answer within the scrape timeout.',
    },
  },
  {
    pattern: /too large|exceed|limit/i,
    text: {
      short: 'answer too large',
      explanation:
        "The exporter's answer was larger than Deckhand's size limit, so it was dropped.",
    },
  },
  {
    pattern: /parse|invalid|malformed|unexpected/i,
    text: {
      short: 'unreadable metrics',
      explanation: "The exporter's answer could not be read as Prometheus metrics.",
    },
  },
  {
    pattern: /no (pod )?ip|not running|pending|no pod/i,
    text: {
      short: 'pod not running',
      explanation: 'The pod is not running, so there is nothing to scrape.',
    },
  },
  {
    pattern: /backoff|backing off/i,
    text: {
      short: 'retrying later',
      explanation: 'Scrapes kept failing, so Deckhand waits longer before the next try.',
    },
  },
];

export function describeScrapeError(error: string): ScrapeErrorText {
  const match = rules.find((rule) => rule.pattern.test(error));
  return match?.text ?? { short: 'scrape failed', explanation: `The scrape failed: ${error}` };
}
