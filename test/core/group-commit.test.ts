import { GroupCommit } from '../../src/core/group-commit.js';

/** A statement that doubles each item after `gate` opens, recording the batches it was given. */
function doubling(fail: (items: number[]) => Error | null = () => null) {
  const batches: number[][] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const run = async (items: number[]) => {
    batches.push(items);
    await gate;
    const error = fail(items);
    if (error) throw error;
    return items.map((n) => n * 2);
  };
  return { batches, run, open: () => open() };
}

describe('GroupCommit', () => {
  it('sends items arriving while a statement runs together, in order, at most maxBatch at a time', async () => {
    const statement = doubling();
    const group = new GroupCommit(statement.run, { maxConcurrent: 1, maxBatch: 3 });
    const first = group.submit('a', 1);
    await Promise.resolve(); // the first goes alone, at once
    const rest = [2, 3, 4, 5, 6].map((n) => group.submit(String(n), n));
    statement.open();
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8, 10, 12]);
    expect(statement.batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('never puts one key twice in a statement', async () => {
    const statement = doubling();
    const group = new GroupCommit(statement.run, { maxConcurrent: 1 });
    const results = Promise.all([group.submit('same', 1), group.submit('same', 2), group.submit('other', 3)]);
    statement.open();
    expect(await results).toEqual([2, 4, 6]);
    expect(statement.batches).toEqual([[1, 3], [2]]);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const statement = doubling((items) => (items.includes(13) ? new Error('bad item 13') : null));
    const group = new GroupCommit(statement.run, { maxConcurrent: 1 });
    const pending = Promise.allSettled([12, 13, 14].map((n) => group.submit(String(n), n)));
    statement.open();
    const results = await pending;
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([24, 'bad item 13', 28]);
    expect(statement.batches).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('fails the whole batch at once when the error is not one item\'s fault', async () => {
    const statement = doubling(() => new Error('connection refused'));
    const group = new GroupCommit(statement.run, { maxConcurrent: 1 }, () => false);
    const pending = Promise.allSettled([1, 2, 3].map((n) => group.submit(String(n), n)));
    statement.open();
    expect((await pending).map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(statement.batches).toEqual([[1, 2, 3]]);
  });
});
