// The two smallest ports: what time it is, and the next id. Tests use their own, fixed ones.
import type { Clock, IdGenerator } from '../domain/ports.ts';

export const systemClock: Clock = {
  now: () => new Date().toISOString(),
};

// Short readable ids (ord_7, pay_8): easy to type into curl while following the chapter.
// The counter lives in memory, like everything else in this stage.
export class SequentialIds implements IdGenerator {
  private lastId = 0;

  next(prefix: string): string {
    this.lastId += 1;
    return `${prefix}_${this.lastId}`;
  }
}
