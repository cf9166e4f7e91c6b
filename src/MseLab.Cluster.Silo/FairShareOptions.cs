using System.ComponentModel.DataAnnotations;

namespace MseLab.Cluster.Silo;

/// <summary>
/// How a worker shares devices between users (the <c>Cluster:FairShare</c> section, the same on every worker): a free device
/// takes the next cell of the user with the least device time within <see cref="WindowSeconds"/>, divided by their weight;
/// then by sweep priority, then first in, first out. Validated at start.
/// </summary>
public sealed class FairShareOptions : IValidatableObject
{
    public const string SectionName = "Cluster:FairShare";

    /// <summary>
    /// Device time older than this many seconds no longer counts (default 300). Short, so that devices a user had to
    /// themselves while nobody else waited are soon no longer held against them; a running cell counts at most this much,
    /// so with trials longer than the window shares follow the cells running now (as Determined's fair share does).
    /// </summary>
    public const double DefaultWindowSeconds = 300;

    /// <summary>How often each worker re-reads users' device time and the waiting sweeps (default 0.25 s).</summary>
    public const double DefaultRefreshSeconds = 0.25;

    /// <summary>Device time that ended longer ago than this many seconds no longer counts.</summary>
    public double WindowSeconds { get; set; } = DefaultWindowSeconds;

    /// <summary>
    /// Seconds a worker decides on the users' device time it last read (plus its own claims since); a cell queued after the
    /// read is found at once all the same (a worker that finds nothing re-reads).
    /// </summary>
    public double RefreshSeconds { get; set; } = DefaultRefreshSeconds;

    /// <summary>
    /// Weight per user (a sweep's owner), e.g. <c>Cluster:FairShare:Weights:alice=2</c>: a user of weight 2 gets twice the
    /// device time of a user of weight 1 while both wait. Users not listed weigh 1.
    /// </summary>
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!(WindowSeconds > 0))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(WindowSeconds)} is {WindowSeconds}; give a positive number of seconds (default {DefaultWindowSeconds}).", [nameof(WindowSeconds)]);
        }

        if (!(RefreshSeconds > 0) || RefreshSeconds > 60)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(RefreshSeconds)} is {RefreshSeconds}; give seconds between 0 and 60 (default {DefaultRefreshSeconds}).", [nameof(RefreshSeconds)]);
        }

        foreach (var (user, weight) in Weights)
        {
            if (!(weight > 0) || double.IsInfinity(weight))
            {
                yield return new ValidationResult($"{SectionName}:{nameof(Weights)}:{user} is {weight}; a weight is a positive number (1 is the default, 2 gets twice the device time).", [nameof(Weights)]);
            }
        }
    }
}
