using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace MseLab.Store.Database;

/// <summary>
/// Group commit: every write of this process goes through one queue, and the writer runs whatever has queued up in one
/// transaction. A unit that fails rolls the transaction back and the batch runs again without it, so that one failing
/// unit costs the others nothing but time (and the common case costs no savepoints). Under load, a
/// commit (and on SQLite the single file lock) is shared by many claims, heartbeats and completions; alone, a write
/// commits at once. Units run in order, so each sees the writes queued before it.
/// </summary>
/// <remarks>
/// When the database is unreachable (a restart, a network cut), the batch is retried with backoff for up to
/// <see cref="MaxOutage"/>, and the writer logs that it waits and when the database is back: callers see a slow write,
/// not an error.
/// </remarks>
internal sealed partial class StoreWriter : IDisposable
{
    private const int MaxBatch = 256;
    private static readonly TimeSpan MaxOutage = TimeSpan.FromMinutes(5);

    private readonly ILogger? _logger;

    private readonly Func<MseLabDbContext> _createContext;
    private readonly Channel<IUnit> _queue = Channel.CreateUnbounded<IUnit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly ResiliencePipeline<Exception?> _outage;

    public StoreWriter(Func<MseLabDbContext> createContext, ILogger? logger = null)
    {
        _createContext = createContext;
        _logger = logger;
        _outage = OutagePipeline();
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

    /// <summary>Takes no more writes and lets those already queued commit (waiting up to 10 s for them).</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

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
                await RunWithRetryAsync(batch);
            }
        }
    }

    private async Task RunWithRetryAsync(List<IUnit> batch)
    {
        // The common case, without the retry pipeline: the database answers.
        if (await RunBatchAsync(batch, lastTry: false) is { } unreachable)
        {
            await RunThroughOutageAsync(batch, unreachable);
        }
    }

    private async Task RunThroughOutageAsync(List<IUnit> batch, Exception firstError)
    {
        // The pipeline starts from the outcome already seen (so the first retry waits its delay and is logged).
        var clock = Stopwatch.StartNew();
        Exception? seen = firstError;
        await _outage.ExecuteAsync(
            async _ =>
            {
                if (Interlocked.Exchange(ref seen, null) is { } first)
                {
                    return first;
                }

                return await RunBatchAsync(batch, lastTry: clock.Elapsed >= MaxOutage);
            },
            CancellationToken.None);
        if (_logger is not null)
        {
            LogBack(_logger, clock.Elapsed.TotalSeconds);
        }
    }

    // A batch that found the database unreachable (and so decided nothing) runs again after 0.25, 0.5, 1 ... 5 s, until
    // it gets through or MaxOutage has passed (then its units fail with the error).
    private ResiliencePipeline<Exception?> OutagePipeline() => new ResiliencePipelineBuilder<Exception?>()
        .AddRetry(new RetryStrategyOptions<Exception?>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is not null),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            Delay = TimeSpan.FromMilliseconds(250),
            MaxDelay = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args =>
            {
                if (_logger is not null)
                {
                    LogUnreachable(_logger, args.Outcome.Result!.Message, args.RetryDelay.TotalSeconds);
                }

                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Whether <paramref name="error"/> says the database could not be reached (worth retrying), not that a statement failed.</summary>
    internal static bool IsUnreachable(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException or TimeoutException or EndOfStreamException || e is DbException { IsTransient: true }
                || (e is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08003" }))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Results store unreachable ({Error}); retrying the pending writes in {Seconds} s")]
    private static partial void LogUnreachable(ILogger logger, string error, double seconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Results store reachable again after {Seconds:0.0} s; pending writes committed")]
    private static partial void LogBack(ILogger logger, double seconds);

    // Null when the batch ended (each unit committed or failed on its own); the error when the database was unreachable
    // and nothing was decided, so the batch (less the units that failed on their own) may run again.
    private async Task<Exception?> RunBatchAsync(List<IUnit> batch, bool lastTry)
    {
        while (batch.Count > 0)
        {
            var outcome = await TryBatchAsync(batch, lastTry);
            switch (outcome)
            {
                case Committed:
                    batch.ForEach(u => u.Commit());
                    batch.Clear();
                    return null;
                case UnitFailed failed:
                    // Optimistic: no savepoints (a round trip per unit on Postgres). A unit that fails rolls the whole
                    // transaction back; it gets its error and the others run again without it (units only read and write
                    // the database, so running one again gives what it would have given).
                    batch[failed.Index].Fail(failed.Error);
                    batch.RemoveAt(failed.Index);
                    break;
                case Unreachable unreachable:
                    return unreachable.Error;
                case CommitFailed commitFailed:
                    batch.ForEach(u => u.Fail(commitFailed.Error));
                    batch.Clear();
                    return null;
            }
        }

        return null;
    }

    // One transaction over the units, in order; stops at the first unit that fails (disposing the transaction rolls it back).
    private async Task<BatchOutcome> TryBatchAsync(List<IUnit> units, bool lastTry)
    {
        units.RemoveAll(u =>
        {
            if (!u.CancellationToken.IsCancellationRequested)
            {
                return false;
            }

            u.Fail(new OperationCanceledException(u.CancellationToken));
            return true;
        });
        try
        {
            await using var db = _createContext();
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < units.Count; i++)
            {
                try
                {
                    await units[i].RunAsync(db);
                }
#pragma warning disable CA1031 // The unit's caller gets its exception; the others in the batch go on.
                catch (Exception e) when (lastTry || !IsUnreachable(e))
#pragma warning restore CA1031
                {
                    return new UnitFailed(i, e);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }

            await transaction.CommitAsync();
            return new Committed();
        }
#pragma warning disable CA1031 // A failed commit (or connection) fails every unit of the batch.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return !lastTry && IsUnreachable(e) && units.All(u => !u.CancellationToken.IsCancellationRequested)
                ? new Unreachable(e)   // nothing committed, nothing reported: run the batch again
                : new CommitFailed(e);
        }
    }

    private abstract record BatchOutcome;

    private sealed record Committed : BatchOutcome;

    private sealed record UnitFailed(int Index, Exception Error) : BatchOutcome;

    private sealed record Unreachable(Exception Error) : BatchOutcome;

    private sealed record CommitFailed(Exception Error) : BatchOutcome;

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
