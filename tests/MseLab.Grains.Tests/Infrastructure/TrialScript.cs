using MseLab.Grains.Execution;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>
/// What the fake executor does for one trial key, and what it saw: how often it ran, on which host, and whether the
/// grain cancelled it.
/// </summary>
public sealed class TrialScript
{
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancellationSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Waits for <see cref="Release"/> (or cancellation) before ending.</summary>
    public bool Blocks { get; set; }

    /// <summary>A worker that does not check its token: keeps waiting for <see cref="Release"/> after a cancel.</summary>
    public bool IgnoresCancellation { get; set; }

    /// <summary>Thrown instead of returning (a crash inside the trial).</summary>
    public Exception? Throws { get; set; }

    /// <summary>What the execution ends with; a success with <see cref="TestOutcomes.Outcome"/> unless set.</summary>
    public TrialExecution Result { get; set; } = new TrialExecution.Succeeded(TestOutcomes.Outcome);

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes with the silo host the trial ran on.</summary>
    public Task<string> Started => _started.Task;

    /// <summary>Completes when the token the grain passed was cancelled.</summary>
    public Task CancellationSeen => _cancellationSeen.Task;

    public void Release() => _release.TrySetResult();

    internal async Task<TrialExecution> RunAsync(ClaimedTrial trial, string host, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        // Not disposed here: the grain may cancel from inside this method's own continuation, which would drop it.
        cancellationToken.Register(() => _cancellationSeen.TrySetResult());
        _started.TrySetResult(host);
        progress(new TrialEpochUpdate(trial.Key, 1, 4, 4, 0.5, "accuracy", 0.75, 0));
        try
        {
            if (Blocks)
            {
                await (IgnoresCancellation ? _release.Task : _release.Task.WaitAsync(cancellationToken));
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _cancellationSeen.TrySetResult();
            }
        }

        return Throws is null ? Result : throw Throws;
    }
}
