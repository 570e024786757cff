import { describe, expect, it } from 'vitest';
import { ResponseCache, SerializedJson, matchesEtag } from '../../src/server/api/cache';

describe('ResponseCache', () => {
  it('serializes a body once per revision and reuses it', () => {
    const cache = new ResponseCache();
    let builds = 0;
    const build = () => {
      builds += 1;
      return { items: [1, 2, 3] };
    };
    const first = cache.lookup({ key: 'list', revision: '1', build });
    const again = cache.lookup({ key: 'list', revision: '1', build });
    expect(builds).toBe(1);
    expect(again).toBe(first);
    expect(first.body.toString()).toBe('{"items":[1,2,3]}');
  });

  it('keeps one body per route, replacing it when the revision moves on', () => {
    const cache = new ResponseCache();
    for (let revision = 0; revision < 50; revision += 1) {
      cache.lookup({ key: 'list', revision: String(revision), build: () => ({ revision }) });
    }
    expect(cache.size).toBe(1);
  });

  it('drops the least recently used route at its bound', () => {
    const cache = new ResponseCache({ maxEntries: 2 });
    const build = () => ({});
    cache.lookup({ key: 'a', revision: '1', build });
    cache.lookup({ key: 'b', revision: '1', build });
    cache.lookup({ key: 'a', revision: '1', build });
    cache.lookup({ key: 'c', revision: '1', build });
    let rebuilt = false;
    cache.lookup({ key: 'a', revision: '1', build: () => ((rebuilt = true), {}) });
    expect(rebuilt).toBe(false);
    cache.lookup({ key: 'b', revision: '1', build: () => ((rebuilt = true), {}) });
    expect(rebuilt).toBe(true);
  });

  it('drops the least recently used bodies once they pass the byte bound, never the newest', () => {
    const cache = new ResponseCache({ maxBytes: 250 });
    const body = (size: number) => () => ({ pad: 'x'.repeat(size) });
    const bytes = JSON.stringify({ pad: 'x'.repeat(90) }).length;
    cache.lookup({ key: 'a', revision: '1', build: body(90) });
    cache.lookup({ key: 'b', revision: '1', build: body(90) });
    // Reading `a` makes `b` the least recently used.
    cache.lookup({ key: 'a', revision: '1', build: body(90) });
    cache.lookup({ key: 'c', revision: '1', build: body(90) });
    expect(cache.size).toBe(2);
    expect(cache.heldBytes).toBe(2 * bytes);
    const rebuilt: string[] = [];
    for (const key of ['a', 'c', 'b']) {
      cache.lookup({ key, revision: '1', build: () => (rebuilt.push(key), {}) });
    }
    expect(rebuilt).toEqual(['b']);
    let rebuiltHuge = false;

    cache.lookup({ key: 'huge', revision: '1', build: body(1000) });
    expect(cache.size).toBe(1);
    cache.lookup({ key: 'huge', revision: '1', build: () => ((rebuiltHuge = true), {}) });
    expect(rebuiltHuge).toBe(false);
    cache.lookup({ key: 'huge', revision: '2', build: body(10) });
    expect(cache.heldBytes).toBe(JSON.stringify({ pad: 'x'.repeat(10) }).length);
  });

  it('stores pre-serialized JSON as is and gives equal bodies equal tags', () => {
    const cache = new ResponseCache();
    const one = cache.lookup({
      key: 'x',
      revision: '1',
      build: () => new SerializedJson('{"a":1}'),
    });
    const two = cache.lookup({ key: 'y', revision: '1', build: () => ({ a: 1 }) });
    expect(one.body.toString()).toBe('{"a":1}');
    expect(one.etag).toBe(two.etag);
  });

  it('matches If-None-Match lists, weak forms and the wildcard', () => {
    expect(matchesEtag('"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('"x", W/"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('*', '"abc"')).toBe(true);
    expect(matchesEtag('"abd"', '"abc"')).toBe(false);
    expect(matchesEtag(undefined, '"abc"')).toBe(false);
  });
});
