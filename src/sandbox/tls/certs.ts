// A throwaway certificate authority and server certificate for the sandbox's
// HTTPS listener. kubectl sends no bearer token over plain HTTP and
// client-node 1.x refuses plain HTTP without insecure-skip-tls-verify, so the
// sandbox serves TLS with a CA that goes into the kubeconfig it writes.
//
// Node's crypto can make keys but not X.509 certificates, and no installed
// package can either; the `openssl` command line (present on Debian and macOS)
// does it in a few calls, which is less code to trust than a hand-written
// DER encoder. The files live in a private temporary folder removed at once.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SandboxCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface CertificateOptions {
  /** Extra DNS names or IP addresses for the server certificate. */
  hosts?: string[];
  /** Path of the openssl binary (default `openssl` on PATH). */
  openssl?: string;
}

const isIp = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':');

function subjectAltNames(hosts: string[]): string {
  const names = new Set(['DNS:localhost', 'IP:127.0.0.1', 'IP:::1']);
  for (const host of hosts) {
    if (host === '' || host === '0.0.0.0' || host === '::') continue;
    names.add(isIp(host) ? `IP:${host}` : `DNS:${host}`);
  }
  return [...names].join(',');
}

const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function generateCertificates(
  options: CertificateOptions = {},
): Promise<SandboxCertificates> {
  const openssl = options.openssl ?? 'openssl';
  const dir = await mkdtemp(path.join(tmpdir(), 'deckhand-sandbox-tls-'));
  const file = (name: string): string => path.join(dir, name);
  try {
    await run(openssl, [
      'req',
      '-x509',
      ...keyArgs,
      '-days',
      '825',
      '-subj',
      '/CN=deckhand-sandbox-ca',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.crt'),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run(openssl, [
      'req',
      '-new',
      ...keyArgs,
      '-subj',
      '/CN=deckhand-sandbox',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
    ]);
    const extensions = [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${subjectAltNames(options.hosts ?? [])}`,
    ].join('\n');
    await writeFile(file('server.ext'), `${extensions}\n`);
    await run(openssl, [
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-days',
      '825',
      '-set_serial',
      `0x${Date.now().toString(16)}`,
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-extfile',
      file('server.ext'),
      '-out',
      file('server.crt'),
    ]);
    const [caPem, certPem, keyPem] = await Promise.all(
      ['ca.crt', 'server.crt', 'server.key'].map((name) => readFile(file(name), 'utf8')),
    );
    return { caPem: caPem ?? '', certPem: certPem ?? '', keyPem: keyPem ?? '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
