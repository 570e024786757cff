// `deckhand demo`: the sandbox and the server in one process, for a first look
// without a Kubernetes cluster. Takes serve's flags plus the sandbox's
// scenario flags; the sandbox listens on a free loopback port by default.
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, flagHelp, parseFlags, type FlagSpec } from '../server/config/flags';
import { serveFlags, toServeConfig } from '../server/config/serve-config';
import { listenAddress, nonEmpty, numberIn, oneOf } from '../server/config/values';
import { startServer } from '../server/index';
import { startSandbox } from '../sandbox/index';
import { stopOnSignals } from './serve';

const speed = numberIn({ min: 0.01, max: 1000 });

const demoFlags = {
  ...serveFlags,
  scenario: {
    schema: oneOf(['demo', 'empty']),
    valueName: 'demo|empty',
    defaultValue: 'demo',
    help: 'objects the sandbox starts with',
  } satisfies FlagSpec<'demo' | 'empty'>,
  clusters: {
    schema: numberIn({ min: 0, max: 100_000, isInteger: true }),
    valueName: 'n',
    help: 'seed this many healthy clusters instead of the demo objects',
  } satisfies FlagSpec<number>,
  speed: {
    schema: speed,
    valueName: 'factor',
    defaultValue: '1',
    help: 'simulation speed of the sandbox operator',
  } satisfies FlagSpec<number>,
  'kubeconfig-out': {
    schema: nonEmpty,
    valueName: 'path',
    help: 'write a kubeconfig for the sandbox here, for kubectl (mode 0600)',
  } satisfies FlagSpec<string>,
  'sandbox-listen': {
    schema: listenAddress,
    valueName: 'host:port',
    defaultValue: '127.0.0.1:0',
    help: 'address of the sandbox Kubernetes API (default a free loopback port)',
  } satisfies FlagSpec<{ host: string; port: number }>,
};

const demoUsage = `Usage: deckhand demo [flags]

Starts a simulated Kubernetes API with CloudNativePG clusters and the Deckhand
console against it, in one process. Every flag can also be set as an
environment variable (DECKHAND_<FLAG>).

Flags:
${flagHelp(demoFlags)}`;

function readDemoFlags(argv: string[]) {
  try {
    const values = parseFlags(demoFlags, {
      argv: argv.includes('-h') ? ['--help'] : argv,
      env: process.env,
    });
    if (values.help === true) {
      console.log(demoUsage);
      return undefined;
    }
    // The demo never runs in a pod and always reaches exporters through the sandbox API.
    const config = toServeConfig(values, { env: {}, isTTY: process.stdout.isTTY === true });
    return { values, config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`deckhand demo: ${error.message}\nRun \`deckhand demo --help\` for the flags.`);
    process.exitCode = 2;
    return undefined;
  }
}

export async function run(argv: string[]): Promise<void> {
  const parsed = readDemoFlags(argv);
  if (parsed === undefined) return;
  const { values, config } = parsed;

  const sandboxAddress = values['sandbox-listen'] ?? { host: '127.0.0.1', port: 0 };
  const sandbox = await startSandbox({
    host: sandboxAddress.host,
    port: sandboxAddress.port,
    scenario: values.scenario ?? 'demo',
    speed: values.speed ?? 1,
    ...(values.clusters === undefined ? {} : { clusters: values.clusters }),
    ...(values['kubeconfig-out'] === undefined
      ? {}
      : { kubeconfigOut: resolve(values['kubeconfig-out']) }),
  });

  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sandbox.kubeconfig);
  const server = await startServer(config, { kubeConfig }).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });

  console.log(`Deckhand is running at ${server.url}`);
  console.log(`Sandbox Kubernetes API at ${sandbox.url} (Ctrl-C stops both)`);
  if (sandbox.kubeconfigPath !== undefined) {
    console.log(`kubectl --kubeconfig ${sandbox.kubeconfigPath} get clusters -A`);
  }
  stopOnSignals({ server, drainMs: 0, onStopped: () => sandbox.close() });
}
