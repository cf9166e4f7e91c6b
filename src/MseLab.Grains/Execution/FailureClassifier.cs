using MseLab.Store.Records;

namespace MseLab.Grains.Execution;

/// <summary>
/// What a crash that escaped the executor means for the cell. The executor classifies what it knows (bad input, NaN loss,
/// the device out of memory: <see cref="FailureClass.Permanent"/>); anything else that escapes it (I/O, the store, the
/// network) is an infrastructure fault, retried up to the sweep's limit with backoff, except the process itself running out
/// of memory, which the same trial would do again.
/// </summary>
public static class FailureClassifier
{
    public static TrialExecution.Failed Classify(Exception error, string device)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error is OutOfMemoryException
            ? new($"out of memory on {device} ({error.Message}); declare a larger memory_gb or use a larger device", FailureClass.Permanent)
            : new($"{error.GetType().Name}: {error.Message}", FailureClass.Transient);
    }
}
