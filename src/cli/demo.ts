// Placeholder until the demo command lands; replaced by its owner module.
export async function run(_argv: string[]): Promise<void> {
  throw new Error('deckhand demo is not available in this build');
}
