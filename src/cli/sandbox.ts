// `deckhand sandbox`: the embedded Kubernetes API with the simulated CNPG
// operator and exporters, until interrupted.
import { loadPolicy } from '../sandbox/auth/policy';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startSandbox, type SandboxOptions } from '../sandbox/index';

const usage = `Usage: deckhand sandbox [flags]

Runs an in-memory Kubernetes API server with a simulated CloudNativePG operator
and metrics exporters.

Flags:
  --listen HOST:PORT       Address of the API server (default 127.0.0.1:6443)
  --kubeconfig-out PATH    Write a kubeconfig for the sandbox to PATH
  --scenario demo|empty    Objects to start with (default demo)
  --clusters N             Seed N healthy clusters instead of the scenario
  --speed X                Simulation speed, 1 = a pace a person can follow (default 1)
  --crd-dir PATH           Validate and default custom resources with these CRD files
  --auth-policy PATH       Answer TokenReview/SubjectAccessReview from this YAML policy
  --log-level LEVEL        error, warn, info or debug (default info)
  --help                   Show this help`;

export class UsageError extends Error {}

export interface SandboxCommand {
  options: SandboxOptions;
  help: boolean;
}

export function parseListen(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 0 && port <= 65_535)) {
    throw new UsageError(`--listen must be HOST:PORT with a port from 0 to 65535, got "${value}"`);
  }
  return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

function parseNumber(options: {
  flag: string;
  value: string;
  integer: boolean;
  min: number;
  max: number;
}): number {
  const number = Number(options.value);
  const isValid =
    options.value.trim() !== '' &&
    Number.isFinite(number) &&
    (!options.integer || Number.isInteger(number));
  if (!isValid || number < options.min || number > options.max) {
    const kind = options.integer ? 'a whole number' : 'a number';
    throw new UsageError(
      `${options.flag} must be ${kind} from ${options.min} to ${options.max}, got "${options.value}"`,
    );
  }
  return number;
}

export function parseSandboxArgs(argv: string[]): SandboxCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: 'string', default: '127.0.0.1:6443' },
        'kubeconfig-out': { type: 'string' },
        scenario: { type: 'string', default: 'demo' },
        clusters: { type: 'string' },
        speed: { type: 'string', default: '1' },
        'crd-dir': { type: 'string' },
        'auth-policy': { type: 'string' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { options: {}, help: true };

  const scenario = values.scenario;
  if (scenario !== 'demo' && scenario !== 'empty') {
    throw new UsageError(`--scenario must be demo or empty, got "${scenario}"`);
  }
  const { host, port } = parseListen(values.listen);
  const options: SandboxOptions = {
    host,
    port,
    scenario,
    speed: parseNumber({
      flag: '--speed',
      value: values.speed,
      integer: false,
      min: 0.01,
      max: 10_000,
    }),
  };
  if (values.clusters !== undefined) {
    options.clusters = parseNumber({
      flag: '--clusters',
      value: values.clusters,
      integer: true,
      min: 1,
      max: 100_000,
    });
  }
  if (values['kubeconfig-out'] !== undefined)
    options.kubeconfigOut = resolve(values['kubeconfig-out']);
  if (values['auth-policy'] !== undefined) {
    try {
      options.accessPolicy = loadPolicy(values['auth-policy']);
    } catch (error) {
      throw new UsageError(
        `--auth-policy: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (values['crd-dir'] !== undefined) options.crdDir = resolve(values['crd-dir']);
  const level = values['log-level'];
  if (!['error', 'warn', 'info', 'debug'].includes(level)) {
    throw new UsageError(`--log-level must be error, warn, info or debug, got "${level}"`);
  }
  options.logger = pino({ level });
  return { options, help: false };
}

export async function run(argv: string[]): Promise<void> {
  let command: SandboxCommand;
  try {
    command = parseSandboxArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`deckhand sandbox: ${error.message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    console.log(usage);
    return;
  }

  const sandbox = await startSandbox(command.options);
  console.log(`Sandbox API: ${sandbox.url}`);
  if (sandbox.kubeconfigPath !== undefined) {
    console.log(`Kubeconfig:  ${sandbox.kubeconfigPath}`);
    console.log(`Try:         kubectl --kubeconfig ${sandbox.kubeconfigPath} get clusters -A`);
  } else {
    console.log('No kubeconfig written: pass --kubeconfig-out PATH to get one.');
  }

  await new Promise<void>((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      command.options.logger?.info({ signal }, 'sandbox stopping');
      sandbox.close().then(done, (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
        done();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
