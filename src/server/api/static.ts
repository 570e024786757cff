// Serves the built web UI from dist/web: files by path, `index.html` for any
// other page path so client-side routes survive a reload. Written on node:fs
// rather than a static-file plugin because the needs are few (GET, content
// type, caching, traversal safety) and no such plugin is a dependency.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, routeNotFound } from './errors';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names bundled assets `name-<hash>.ext`; those never change, so cache them for good. */
const hashedAsset = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** Shown when the UI was not built, so `deckhand serve` still says something useful. */
const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deckhand</title></head>
<body><h1>Deckhand</h1><p>The web UI is not built. Run <code>npm run build</code>;
the API is available under <a href="/api">/api</a>.</p></body></html>
`;

async function regularFileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/** The file a URL path names inside the root, or a 400 for anything that tries to leave it. */
function fileFor(root: string, url: string): string {
  const rawPath = url.split('?', 1)[0] ?? '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new BadRequestError('request path is not valid percent-encoding');
  }
  if (path.includes('\0') || path.split(/[\\/]/).includes('..')) {
    throw new BadRequestError('request path must not contain ".." segments');
  }
  const file = resolve(root, `.${path}`);
  if (file !== root && !file.startsWith(root + sep)) {
    throw new BadRequestError('request path leaves the web root');
  }
  return file;
}

/** Answers GET/HEAD requests outside `/api` with UI files or `index.html`. */
export function createStaticHandler(options: { webRoot: string }) {
  const root = resolve(options.webRoot);
  const indexFile = join(root, 'index.html');

  const sendFile = (reply: FastifyReply, file: string, size: number, cacheControl: string) => {
    const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return reply
      .code(200)
      .type(type)
      .header('content-length', size)
      .header('cache-control', cacheControl)
      .send(createReadStream(file));
  };

  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const file = fileFor(root, request.url);
    const size = file === root ? undefined : await regularFileSize(file);
    if (size !== undefined) {
      const isHashed = hashedAsset.test(request.url.split('?', 1)[0] ?? '');
      return sendFile(
        reply,
        file,
        size,
        isHashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    }
    if (extname(file) !== '') throw routeNotFound();

    const indexSize = await regularFileSize(indexFile);
    if (indexSize !== undefined) return sendFile(reply, indexFile, indexSize, 'no-cache');
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(placeholderPage);
  };
}
