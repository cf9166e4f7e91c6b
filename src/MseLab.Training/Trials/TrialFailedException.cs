namespace MseLab.Training.Trials;

/// <summary>
/// A deterministic trial failure (NaN loss, invalid configuration): running it again would fail the same way, so
/// orchestration must not retry it. Checkpoints written before the failure are kept.
/// </summary>
public sealed class TrialFailedException : Exception
{
    public TrialFailedException(string message)
        : base(message)
    {
    }

    public TrialFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrialFailedException()
    {
    }
}
