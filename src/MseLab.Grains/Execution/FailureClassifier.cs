using System.Runtime.InteropServices;

namespace MseLab.Grains.Execution;

/// <summary>
/// Decides whether a crashed trial may pass on another try. Out-of-memory fails at once (the same trial on the same device
/// class runs out again); anything else that escaped the engine (I/O, the store or the network) is an infrastructure fault,
/// retried up to the sweep's limit with backoff. Bad configuration and NaN loss are classified by the engine itself.
/// </summary>
public static class FailureClassifier
{
    public static TrialExecution Classify(Exception error, string device)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (IsOutOfMemory(error))
        {
            return TrialExecution.Failed($"out of memory on {device} ({error.GetType().Name}: {error.Message}); declare a larger memory_gb or use a larger device", retryable: false);
        }

        return TrialExecution.Failed($"{error.GetType().Name}: {error.Message}", retryable: true);
    }

    private static bool IsOutOfMemory(Exception error) =>
        error is OutOfMemoryException
        || (error is ExternalException or InvalidOperationException && error.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
        || (error.InnerException is { } inner && IsOutOfMemory(inner));
}
