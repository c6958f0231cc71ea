// A discrete-event queue over logical time: events come out in (time, insertion) order, so equal
// times resolve the same way on every run. The queue stays small (one entry per worker plus
// in-flight completions and pending faults), so a linear scan beats a heap in simplicity.
export class EventQueue<E> {
  private readonly items: Array<{ timeNs: number; seq: number; event: E }> = [];
  private seq = 0;

  push(timeNs: number, event: E): void {
    this.items.push({ timeNs, seq: this.seq++, event });
  }

  /** The earliest event, or undefined when empty. */
  pop(): { timeNs: number; event: E } | undefined {
    if (this.items.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.items.length; i++) {
      const a = this.items[i]!;
      const b = this.items[best]!;
      if (a.timeNs < b.timeNs || (a.timeNs === b.timeNs && a.seq < b.seq)) best = i;
    }
    const [item] = this.items.splice(best, 1);
    return item;
  }

  get size(): number {
    return this.items.length;
  }
}
