using System.Runtime.InteropServices;
using MseLab.Store.Records;

namespace MseLab.Grains.Execution;

/// <summary>
/// Decides whether a crashed trial may pass on another try. Out-of-memory fails at once (the same trial on the same device
/// class runs out again); anything else that escaped the executor (I/O, the store or the network) is an infrastructure
/// fault, retried up to the sweep's limit with backoff. Bad configuration and NaN loss are classified by the executor.
/// </summary>
public static class FailureClassifier
{
    public static TrialExecution.Failed Classify(Exception error, string device)
    {
        ArgumentNullException.ThrowIfNull(error);
        return IsOutOfMemory(error)
            ? new($"out of memory on {device} ({error.GetType().Name}: {error.Message}); declare a larger memory_gb or use a larger device", FailureClass.Permanent)
            : new($"{error.GetType().Name}: {error.Message}", FailureClass.Transient);
    }

    private static bool IsOutOfMemory(Exception error) =>
        error is OutOfMemoryException
        || (error is ExternalException or InvalidOperationException && error.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
        || (error.InnerException is { } inner && IsOutOfMemory(inner));
}
