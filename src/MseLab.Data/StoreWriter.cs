using System.Threading.Channels;

namespace MseLab.Data;

/// <summary>
/// Group commit: every write of this process goes through one queue, and the writer runs whatever has queued up in one
/// transaction, each unit of work behind its own savepoint so that one failing unit rolls back alone. Under load, a
/// commit (and on SQLite the single file lock) is shared by many claims, heartbeats and completions; alone, a write
/// commits at once. Units run in order, so each sees the writes queued before it.
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private const int MaxBatch = 256;

    private readonly Func<MseLabDbContext> _createContext;
    private readonly Channel<IUnit> _queue = Channel.CreateUnbounded<IUnit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public StoreWriter(Func<MseLabDbContext> createContext)
    {
        _createContext = createContext;
        _loop = Task.Run(RunAsync);
    }

    private interface IUnit
    {
        CancellationToken CancellationToken { get; }

        Task RunAsync(MseLabDbContext db);

        void Commit();

        void Fail(Exception error);
    }

    /// <summary>Queues <paramref name="work"/>; the task ends when its transaction has committed (or it failed).</summary>
    public Task<T> WriteAsync<T>(Func<MseLabDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var unit = new Unit<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(unit))
        {
            throw new ObjectDisposedException(nameof(StoreWriter), "The results store is closed.");
        }

        return unit.Task;
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        var batch = new List<IUnit>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var unit))
            {
                if (unit.CancellationToken.IsCancellationRequested)
                {
                    unit.Fail(new OperationCanceledException(unit.CancellationToken));
                    continue;
                }

                batch.Add(unit);
            }

            if (batch.Count > 0)
            {
                await RunBatchAsync(batch);
            }
        }
    }

    private async Task RunBatchAsync(List<IUnit> batch)
    {
        var done = new List<IUnit>(batch.Count);
        var failed = new HashSet<IUnit>();
        try
        {
            await using var db = _createContext();
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                var unit = batch[i];
                var savepoint = batch.Count > 1 ? $"unit{i}" : null;
                if (savepoint is not null)
                {
                    await transaction.CreateSavepointAsync(savepoint);
                }

                try
                {
                    await unit.RunAsync(db);
                    done.Add(unit);
                }
#pragma warning disable CA1031 // The unit's caller gets its exception; the others in the batch go on.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failed.Add(unit);
                    unit.Fail(e);
                    if (savepoint is null)
                    {
                        return;   // alone: disposing the transaction rolls it back
                    }

                    await transaction.RollbackToSavepointAsync(savepoint);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }

            await transaction.CommitAsync();
        }
#pragma warning disable CA1031 // A failed commit (or connection) fails every unit that had not failed on its own.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var unit in batch.Where(u => !failed.Contains(u)))
            {
                unit.Fail(e);
            }

            return;
        }

        foreach (var unit in done)
        {
            unit.Commit();
        }
    }

    private sealed class Unit<T>(Func<MseLabDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken) : IUnit
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public CancellationToken CancellationToken => cancellationToken;

        public async Task RunAsync(MseLabDbContext db) => _result = await work(db, cancellationToken);

        public void Commit() => _completion.TrySetResult(_result);

        public void Fail(Exception error)
        {
            if (error is OperationCanceledException canceled)
            {
                _completion.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                _completion.TrySetException(error);
            }
        }
    }
}
