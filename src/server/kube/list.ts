// Paginated LIST of one resource, projecting each page as it arrives so that
// raw objects never pile up: only one page of raw JSON is alive at a time.
import type { KubeTransport } from './transport';
import { readBody } from './transport';
import { apiErrorFrom } from './api-error';
import { arrayAt, asObject, objectAt, parseJsonOrUndefined, stringAt } from '../store/narrow';

/** API servers cap pages at 500 objects by default too. */
export const DEFAULT_PAGE_SIZE = 500;

/** A single list page of 500 CNPG objects is a few MiB; this bounds a hostile one. */
const MAX_PAGE_BYTES = 256 * 1024 * 1024;

/** What a LIST needs. */
export interface ListRequest<T> {
  transport: KubeTransport;
  path: string;
  labelSelector?: string;
  pageSize: number;
  signal: AbortSignal;
  /** Projects one raw item; undefined when the item is malformed (the callback counts and logs it). */
  project: (raw: unknown) => T | undefined;
}

/** Every item of a LIST, with the collection's resourceVersion to watch from. */
export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

/** Lists every page. Throws KubeApiError (410 when a continue token expired) or a network error. */
export async function listAll<T>(request: ListRequest<T>): Promise<ListResult<T>> {
  const items: T[] = [];
  let continueToken: string | undefined;
  let resourceVersion = '';
  do {
    const page = await fetchPage(request, continueToken);
    for (const raw of arrayAt(page, 'items')) {
      const item = request.project(raw);
      if (item !== undefined) items.push(item);
    }
    const metadata = objectAt(page, 'metadata');
    resourceVersion = stringAt(metadata, 'resourceVersion') ?? resourceVersion;
    continueToken = stringAt(metadata, 'continue') || undefined;
  } while (continueToken !== undefined);

  if (resourceVersion === '') throw new Error('list response carries no metadata.resourceVersion');
  return { items, resourceVersion };
}

async function fetchPage<T>(request: ListRequest<T>, continueToken: string | undefined) {
  const query = new URLSearchParams({ limit: String(request.pageSize) });
  if (continueToken !== undefined) query.set('continue', continueToken);
  if (request.labelSelector !== undefined) query.set('labelSelector', request.labelSelector);
  const path = `${request.path}?${query.toString()}`;

  const response = await request.transport.get(path, request.signal);
  if (response.status !== 200) throw await apiErrorFrom(response, path);
  const page = asObject(parseJsonOrUndefined(await readBody(response, MAX_PAGE_BYTES)));
  if (page === undefined)
    throw new Error(`GET ${request.path}: list response is not a JSON object`);
  return page;
}
