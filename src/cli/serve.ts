// Placeholder until the serve command lands; replaced by its owner module.
export async function run(_argv: string[]): Promise<void> {
  throw new Error('deckhand serve is not available in this build');
}
