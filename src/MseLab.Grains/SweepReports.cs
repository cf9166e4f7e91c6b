using Microsoft.Extensions.Logging;

namespace MseLab.Grains;

/// <summary>
/// The reports of this silo's devices to sweep grains, sent in batches: at most one call per sweep every
/// <see cref="Interval"/>, with the cell events in the order they happened. Progress of one attempt within a batch is
/// coalesced to its latest (epoch ends, which carry a validation metric, are all kept). A trial never waits for its
/// sweep's live view, and never fails because the silo that view lives on went away.
/// </summary>
public sealed partial class SweepReports(IGrainFactory grains, ILogger<SweepReports> logger) : IDisposable
{
    /// <summary>How long an event may wait to be sent with others.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<string, List<CellEvent>> _pending = new(StringComparer.Ordinal);
    private bool _scheduled;
    private bool _disposed;

    /// <summary>Queues <paramref name="cellEvent"/> for the grain of <paramref name="sweepId"/>.</summary>
    public void Add(string sweepId, CellEvent cellEvent)
    {
        ArgumentNullException.ThrowIfNull(cellEvent);
        lock (_gate)
        {
            if (!_pending.TryGetValue(sweepId, out var events))
            {
                _pending[sweepId] = events = [];
            }

            if (cellEvent.Kind == CellEventKind.Progressed && cellEvent.Progress?.Metric is null && events.Count > 0
                && events[^1] is { Kind: CellEventKind.Progressed, Progress.Metric: null } last && last.TrialKey == cellEvent.TrialKey && last.Attempt == cellEvent.Attempt)
            {
                events[^1] = cellEvent;   // a newer step of the same attempt: only the latest is worth sending
            }
            else
            {
                events.Add(cellEvent);
            }

            if (_scheduled || _disposed)
            {
                return;
            }

            _scheduled = true;
        }

        // On the thread pool, without the caller's context: the first event comes from inside a device grain's turn, and
        // the batch (every sweep's events) is neither part of that grain's work nor of its trial's trace.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(FlushLaterAsync);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task FlushLaterAsync()
    {
        try
        {
            await Task.Delay(Interval, _stopping.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;   // the silo stops: the live view follows the store
        }

        Dictionary<string, List<CellEvent>> batch;
        lock (_gate)
        {
            (batch, _pending, _scheduled) = (_pending, new(StringComparer.Ordinal), false);
        }

        foreach (var (sweepId, events) in batch)
        {
            _ = grains.GetGrain<ISweepGrain>(sweepId).ReportAsync(events).ContinueWith(
                t =>
                {
                    var error = t.Exception?.GetBaseException().Message;
                    LogNotSent(logger, sweepId, events.Count, error);
                },
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Debug, Message = "Sweep {SweepId}: {Count} cell report(s) did not reach its live view ({Error}); the view follows the store instead")]
    private static partial void LogNotSent(ILogger logger, string sweepId, int count, string? error);
}
