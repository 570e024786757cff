// `deckhand <command>`: dispatches to the sub-commands. Each command module
// parses its own flags and owns its process lifecycle.
const commands: Record<string, () => Promise<{ run(argv: string[]): Promise<void> }>> = {
  serve: () => import('./serve'),
  sandbox: () => import('./sandbox'),
  demo: () => import('./demo'),
};

const usage = `Usage: deckhand <command> [flags]

Commands:
  serve     Run the Deckhand console against a Kubernetes cluster
  sandbox   Run the embedded Kubernetes API with a simulated CNPG operator
  demo      Run the sandbox and the console together, for a first look

Run \`deckhand <command> --help\` for the flags of a command.`;

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return;
  }
  const load = commands[name];
  if (load === undefined) {
    console.error(`deckhand: unknown command "${name}"\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const command = await load();
  await command.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
