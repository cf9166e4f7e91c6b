using System.Collections.Concurrent;

namespace MseLab.Cluster.Silo;

/// <summary>
/// Which refusals this worker has already logged. A refused trial comes back every few seconds until a worker takes it; its
/// reason is worth one warning per worker, not one per delivery.
/// </summary>
public sealed class TrialRefusals
{
    // Bounded: a worker that refuses many sweeps' cells for months forgets the oldest and may warn about them once more.
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string TrialKey, string Reason), byte> _logged = new();

    /// <summary>True the first time <paramref name="trialKey"/> is refused for <paramref name="reason"/>.</summary>
    public bool IsNew(string trialKey, string reason)
    {
        if (_logged.Count >= Capacity)
        {
            _logged.Clear();
        }

        return _logged.TryAdd((trialKey, reason), 0);
    }
}
