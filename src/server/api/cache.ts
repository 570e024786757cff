// Serialized response bodies, built once per (revision, route, query) and
// reused until the data behind them changes. A 10,000-cluster list takes tens
// of milliseconds to encode; serving it from here costs a Map lookup.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A body already serialized by the route, stored as is. */
export class SerializedJson {
  constructor(readonly text: string) {}
}

interface CachedBody {
  body: Buffer;
  etag: string;
}

interface CachedReplyOptions {
  request: FastifyRequest;
  reply: FastifyReply;
  /** The route and its normalized inputs, e.g. `list?namespace=team-a`. */
  key: string;
  /** Revisions of every source the body is built from. */
  revisions: readonly number[];
  /** Builds the body object (or its JSON); throwing (e.g. a 404) caches nothing. */
  build: () => unknown;
}

/** Strong validator from the body bytes, so equal bodies keep equal tags across revisions. */
function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** True when an `If-None-Match` header names this tag (or `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const tag = part.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * A bounded map of bodies, one per route key: a newer revision replaces the
 * body it supersedes instead of sitting next to it, so a 4 MB list under
 * constant change never holds more than one copy. Insertion order doubles as
 * recency: a hit is moved to the end, and the oldest entries go once either
 * bound is passed. The byte bound is what keeps memory in check; the entry
 * bound only limits the map itself, and is set high enough that every
 * cluster page a team keeps open stays cached.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedBody & { revision: string }>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;

  constructor(options: { maxEntries?: number; maxBytes?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 4096;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of body held. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** The body for a route key at a revision, from the cache or freshly serialized. */
  lookup(options: { key: string; revision: string; build: () => unknown }): CachedBody {
    const { key, revision } = options;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      if (hit.revision === revision) {
        this.entries.set(key, hit);
        return hit;
      }
      this.bytes -= hit.body.length;
    }

    const built = options.build();
    const body = Buffer.from(built instanceof SerializedJson ? built.text : JSON.stringify(built));
    const entry = { body, etag: etagOf(body), revision };
    this.entries.set(key, entry);
    this.bytes += body.length;
    // The entry just stored is never evicted, even when it alone passes the
    // byte bound: the request that built it is about to send it anyway.
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      if (oldKey === key) break;
      this.entries.delete(oldKey);
      this.bytes -= old.body.length;
    }
    return entry;
  }

  /** Sends a cached JSON body with its ETag, or 304 when the client has it. */
  send(options: CachedReplyOptions): FastifyReply {
    const { request, reply } = options;
    const entry = this.lookup({
      key: options.key,
      revision: options.revisions.join(':'),
      build: options.build,
    });

    reply.header('etag', entry.etag);
    if (matchesEtag(request.headers['if-none-match'], entry.etag)) {
      return reply.code(304).send();
    }
    return reply.type('application/json; charset=utf-8').send(entry.body);
  }
}
