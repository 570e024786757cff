// Shares the parser between the bodies being read so that no event-loop
// iteration parses much more than a bounded number of bytes (one chunk past
// the budget at most, so that every chunk can go through).
//
// Without it, one turn can parse megabytes: libuv reads a readable socket up
// to 32 times per poll, a flowing stream hands every buffered chunk to its
// 'data' listener before returning, and every socket that became readable is
// served in the same poll. A few exporters streaming large bodies at once
// then hold timers (other targets' deadlines and schedules) and HTTP requests
// back for tens of milliseconds. With a budget, a body that finds this turn's
// budget spent pauses its stream, keeps the chunk it already has, and is
// parsed in a later turn, in arrival order.

/** Work done for a waiting body; returns the bytes it parsed. */
export type BudgetedWork = () => number;

export class ParseBudget {
  private remaining: number;
  private readonly waiting: BudgetedWork[] = [];
  private turn: NodeJS.Immediate | undefined;

  constructor(private readonly bytesPerTurn: number) {
    if (!(bytesPerTurn > 0)) throw new RangeError('bytesPerTurn must be positive');
    this.remaining = bytesPerTurn;
  }

  /** Bodies waiting for a later turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /**
   * Spends `bytes` of this turn's budget when any is left (a chunk larger
   * than what is left still goes through, so every chunk can be parsed).
   * False means the caller must queue its work with `wait`.
   */
  take(bytes: number): boolean {
    if (this.remaining <= 0 || this.waiting.length > 0) return false;
    this.remaining -= bytes;
    this.scheduleTurn();
    return true;
  }

  /** Runs `work` in a later turn, after the work queued before it. */
  wait(work: BudgetedWork): void {
    this.waiting.push(work);
    this.scheduleTurn();
  }

  private scheduleTurn(): void {
    this.turn ??= setImmediate(() => this.nextTurn());
  }

  /**
   * Runs in the check phase, after the poll phase that read the sockets: the
   * waiting bodies get what the poll phase left of the budget, and only then
   * is the budget restored for the next iteration. Restoring it first would
   * let one iteration parse twice the budget, once while reading and once
   * here.
   */
  private nextTurn(): void {
    this.turn = undefined;
    while (this.remaining > 0) {
      const work = this.waiting.shift();
      if (work === undefined) break;
      this.remaining -= work();
    }
    this.remaining = this.bytesPerTurn;
    if (this.waiting.length > 0) this.scheduleTurn();
  }
}
