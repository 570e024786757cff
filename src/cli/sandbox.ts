// Placeholder until the sandbox command lands; replaced by its owner module.
export async function run(_argv: string[]): Promise<void> {
  throw new Error('deckhand sandbox is not available in this build');
}
