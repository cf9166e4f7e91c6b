namespace MseLab.Grains;

/// <summary>
/// <paramref name="inner"/>'s clock with its wall-clock time shifted by <paramref name="offset"/>: what a machine whose
/// clock is off sees. Timestamps, timers and the time zone are <paramref name="inner"/>'s (elapsed time is unaffected by a
/// wrong wall clock).
/// </summary>
public sealed class ShiftedTimeProvider(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    /// <summary>How far the wall clock is shifted (positive: ahead).</summary>
    public TimeSpan Offset => offset;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
