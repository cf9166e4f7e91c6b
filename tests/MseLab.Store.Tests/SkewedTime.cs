namespace MseLab.Store.Tests;

/// <summary>The system clock with its wall-clock time moved by <paramref name="offset"/>: a machine whose clock is off (its elapsed time is not).</summary>
internal sealed class SkewedTime(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
