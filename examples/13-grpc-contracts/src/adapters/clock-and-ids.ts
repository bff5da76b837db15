// The two smallest ports: what time it is, and the next id. Tests use their own, fixed ones.
import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator } from '../shared/ports.ts';

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

// #region random-ids
// Ids for data that outlives the process: a counter that starts at 1 again after a restart
// would hand out ids that are already taken, so these are random (ord_3f9a1c07d2).
export class RandomIds implements IdGenerator {
  next(prefix: string): string {
    return `${prefix}_${randomBytes(5).toString('hex')}`;
  }
}
// #endregion random-ids
