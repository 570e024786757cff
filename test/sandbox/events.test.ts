// The operator's event recorder: events shaped as CNPG's EventRecorder writes
// them, forgotten after an hour as the apiserver forgets them.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EventRecorder } from '../../src/sandbox/operator/events';
import { createObjectStore } from '../../src/sandbox/store/memory';

describe('the event recorder', () => {
  it('records an event on the object and forgets it once it is an hour old', () => {
    const store = createObjectStore();
    const events = store.resourceFor('', 'events');
    const namespaces = store.resourceFor('', 'namespaces');
    if (events === undefined || namespaces === undefined) throw new Error('no events resource');
    store.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'db' } });
    let now = new Date('2026-12-03T10:00:00Z');
    const recorder = new EventRecorder({
      store,
      resource: events,
      now: () => now,
      logger: pino({ level: 'silent' }),
    });
    const backup = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Backup',
      metadata: { name: 'nightly', namespace: 'db', uid: 'u-1', resourceVersion: '7' },
    };

    recorder.record({ object: backup, type: 'Normal', reason: 'Starting', message: 'go' });
    const [first] = store.list(events, { namespace: 'db' }).items;
    expect(first).toMatchObject({
      involvedObject: { kind: 'Backup', name: 'nightly', namespace: 'db', uid: 'u-1' },
      reason: 'Starting',
      message: 'go',
      type: 'Normal',
      source: { component: 'cloudnative-pg' },
      count: 1,
      firstTimestamp: '2026-12-03T10:00:00Z',
    });
    expect(first?.metadata.name).toMatch(/^nightly\.[0-9a-f]{16}$/);
    const selected = (fieldSelector: string) =>
      store.list(events, { namespace: 'db', fieldSelector }).items.length;
    expect(selected('source=cloudnative-pg,involvedObject.kind=Backup')).toBe(1);
    expect(selected('source=kubelet')).toBe(0);

    // Recording is best effort: an event for a namespace that is gone is dropped.
    const elsewhere = { ...backup, metadata: { ...backup.metadata, namespace: 'gone' } };
    expect(() =>
      recorder.record({ object: elsewhere, type: 'Normal', reason: 'Starting', message: 'x' }),
    ).not.toThrow();

    now = new Date('2026-12-03T11:00:01Z');
    recorder.record({ object: backup, type: 'Normal', reason: 'Completed', message: 'done' });
    expect(store.list(events, { namespace: 'db' }).items.map((event) => event.reason)).toEqual([
      'Completed',
    ]);
  });
});
