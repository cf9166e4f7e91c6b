namespace MseLab.Store.Records;

/// <summary>A user's recent device time, unweighted, as read from the store.</summary>
/// <param name="Owner">The user (<c>sweeps.Owner</c>).</param>
/// <param name="Running">Cells of theirs running when it was read.</param>
/// <param name="RunningSeconds">Device seconds of those cells so far (within the window).</param>
/// <param name="EndedSeconds">Device seconds of attempts that ended within the window (the part inside it).</param>
/// <param name="Ended">How many attempts of theirs ended within the window.</param>
/// <param name="EndedLength">The whole length of those attempts, seconds (their mean is what a new cell of theirs is expected to take).</param>
public sealed record OwnerUsage(string Owner, int Running, double RunningSeconds, double EndedSeconds, int Ended, double EndedLength)
{
    /// <summary>How long this user's recent attempts took on average (0 when none ended lately).</summary>
    public double MeanLength => Ended > 0 ? EndedLength / Ended : 0;
}
