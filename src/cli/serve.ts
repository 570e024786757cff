// `deckhand serve`: parses flags, starts the server and stops it on SIGTERM or
// SIGINT, giving up after a deadline so a stuck close never hangs a rollout.
import { ConfigError } from '../server/config/flags';
import { parseServeConfig, serveUsage, type ServeConfig } from '../server/config/serve-config';
import { startServer, type RunningServer } from '../server/index';

/** Longest a shutdown may take before the process exits anyway. */
const shutdownDeadlineMs = 10_000;

/** Parses argv and environment; prints help or the problem and sets the exit code. */
export function readConfig(argv: string[], command: string): ServeConfig | undefined {
  try {
    const config = parseServeConfig(argv.includes('-h') ? ['--help'] : argv, {
      env: process.env,
      isTTY: process.stdout.isTTY === true,
    });
    if (config === undefined)
      console.log(serveUsage.replace('deckhand serve', `deckhand ${command}`));
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(
      `deckhand ${command}: ${error.message}\nRun \`deckhand ${command} --help\` for the flags.`,
    );
    process.exitCode = 2;
    return undefined;
  }
}

/** Closes the server on the first SIGTERM/SIGINT; a second signal or the deadline forces the exit. */
export function stopOnSignals(options: {
  server: RunningServer;
  drainMs: number;
  onStopped?: () => Promise<void>;
}): void {
  let isStopping = false;
  const stop = () => {
    if (isStopping) process.exit(1);
    isStopping = true;
    const deadline = setTimeout(() => {
      console.error(`deckhand: shutdown took longer than ${shutdownDeadlineMs / 1000}s, exiting`);
      process.exit(1);
    }, shutdownDeadlineMs);
    deadline.unref();

    // The drain must leave time for the rest of the shutdown inside the deadline.
    const drainMs = Math.min(options.drainMs, shutdownDeadlineMs / 2);
    void (async () => {
      await options.server.close({ drainMs });
      await options.onStopped?.();
      clearTimeout(deadline);
      process.exit(0);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

export async function run(argv: string[]): Promise<void> {
  const config = readConfig(argv, 'serve');
  if (config === undefined) return;

  const server = await startServer(config);
  stopOnSignals({ server, drainMs: config.shutdownDrainMs });
}
