using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Contracts;
using MseLab.Grains;
using MseLab.Store;
using MseLab.Store.FairShare;
using MseLab.Store.Records;

namespace MseLab.Cluster.Silo;

/// <summary>
/// Which queued cell a free device of this worker takes: the next one of the user with the least recent device time per
/// weight, then of the sweep with the higher priority, then the longest waiting (<see cref="FairShareOrder"/>), among the
/// cells the device fits and this worker may run. Decides on a snapshot of the store re-read every
/// <see cref="FairShareOptions.RefreshSeconds"/> (plus this worker's own claims since), and re-reads at once when it finds
/// nothing, so a sweep just submitted is seen at its first message.
/// </summary>
/// <remarks>
/// What a worker may run (<see cref="ITrialPrerequisites"/>) is decided per dataset and remembered for
/// <see cref="VerdictLifetime"/>: cells of a refused dataset are left out of the claim; a cell of a dataset not yet checked
/// is given back before the check (which may hash files for a while) and claimed again after, so that no cell sits
/// Running without a heartbeat.
/// </remarks>
public sealed partial class FairShareScheduler(
    FairShareClaims claims,
    IUserWeights weights,
    ITrialPrerequisites prerequisites,
    TrialRefusals refusals,
    IOptions<FairShareOptions> options,
    StoreClock clock,
    TimeProvider time,
    ILogger<FairShareScheduler> logger)
{
    /// <summary>How long a dataset's verdict (this worker may run its cells, or not) holds before it is asked again.</summary>
    public static readonly TimeSpan VerdictLifetime = TimeSpan.FromSeconds(10);

    // A worker that finds nothing re-reads, but not more often than this (many messages may find nothing at once).
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Verdict> _verdicts = new(StringComparer.Ordinal);
    private FairShareSnapshot _snapshot = FairShareSnapshot.Empty;
    private List<LocalClaim> _claims = [];
    private Task<FairShareSnapshot>? _refresh;

    // This process's clock: only for how long a dataset's verdict holds. Anything compared with the snapshot (read at the
    // store's time) or with other workers' claims is on the store clock.
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Asks the prerequisites whether this worker may run <paramref name="trial"/> and remembers the answer for its dataset;
    /// logs a refusal once per trial and reason. Null when it may, else why not.
    /// </summary>
    public async ValueTask<string?> RefusalAsync(RunTrial trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var refusal = await prerequisites.RefusalAsync(trial, cancellationToken);
        _verdicts[trial.Dataset ?? ""] = new Verdict(refusal, Now);
        if (refusal is not null && refusals.IsNew(trial.TrialKey, refusal))
        {
            LogRefused(logger, trial.TrialKey, trial.Dataset, refusal);
        }

        return refusal;
    }

    /// <summary>
    /// Claims in the store, for <paramref name="device"/>, the cell fair share puts next among those it fits and this worker
    /// may run. <see cref="FairClaim.Claimed"/> is null when there is none; <see cref="FairClaim.OthersWait"/> then says
    /// whether cells of the device's kind wait all the same (for other devices or workers, or in retry backoff).
    /// </summary>
    public async Task<FairClaim> ClaimAsync(string device, DeviceSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var snapshot = await SnapshotAsync(force: false, cancellationToken);
        var reread = false;
        while (true)
        {
            var excluded = Refused();
            var storeNow = await clock.NowAsync(cancellationToken);
            IReadOnlyList<string> order;
            lock (_gate)
            {
                order = FairShareOrder.Sweeps(snapshot, spec.Kind, weights.WeightOf, storeNow, _claims, excluded);
            }

            var claimed = await claims.ClaimNextAsync(order, spec.Kind, spec.MemoryGb, device, excluded, cancellationToken);
            if (claimed is null)
            {
                if (reread)
                {
                    return new FairClaim(null, snapshot.Queued.Any(q => string.Equals(q.DeviceKind, spec.Kind, StringComparison.Ordinal)));
                }

                // The snapshot may predate the cells (a sweep just submitted): read again, once.
                snapshot = await SnapshotAsync(force: true, cancellationToken);
                reread = true;
                continue;
            }

            if (_verdicts.TryGetValue(claimed.Dataset, out var verdict) && verdict.Refusal is null && Now - verdict.At < VerdictLifetime)
            {
                var owner = snapshot.Queued.FirstOrDefault(q => string.Equals(q.SweepId, claimed.SweepId, StringComparison.Ordinal))?.Owner;
                var claimedAt = await clock.NowAsync(cancellationToken);
                lock (_gate)
                {
                    _claims.Add(new LocalClaim(owner ?? "", claimedAt));
                }

                return new FairClaim(claimed, OthersWait: true);
            }

            // Not known here (yet, or any more): give the cell back before asking (a first check hashes the data), then choose again.
            await claims.UnclaimAsync(claimed.Lease, device, cancellationToken);
            await RefusalAsync(Message(claimed, spec), cancellationToken);
        }
    }

    /// <summary>The message a claimed cell would have had (what <see cref="ITrialPrerequisites"/> is asked about).</summary>
    private static RunTrial Message(ClaimedTrial claimed, DeviceSpec spec) => new()
    {
        SweepId = claimed.SweepId, TrialKey = claimed.Key, Attempt = claimed.Attempt, DeviceKind = spec.Kind, Backbone = claimed.Backbone, Dataset = claimed.Dataset,
    };

    private List<string> Refused()
    {
        var now = Now;
        return [.. _verdicts.Where(v => v.Value.Refusal is not null && now - v.Value.At < VerdictLifetime).Select(v => v.Key).Order(StringComparer.Ordinal)];
    }

    private async Task<FairShareSnapshot> SnapshotAsync(bool force, CancellationToken cancellationToken)
    {
        var storeNow = await clock.NowAsync(cancellationToken);
        Task<FairShareSnapshot> refresh;
        lock (_gate)
        {
            var age = storeNow - _snapshot.ReadAt;
            if (age < (force ? MinimumAge : TimeSpan.FromSeconds(options.Value.RefreshSeconds)))
            {
                return _snapshot;
            }

            refresh = _refresh ??= Task.Run(RefreshAsync, CancellationToken.None);
        }

        return await refresh.WaitAsync(cancellationToken);
    }

    private async Task<FairShareSnapshot> RefreshAsync()
    {
        try
        {
            var snapshot = await claims.ReadAsync(TimeSpan.FromSeconds(options.Value.WindowSeconds));
            lock (_gate)
            {
                // Claims from before the read are in it, as running cells.
                _snapshot = snapshot;
                _claims = _claims.Where(c => c.At > snapshot.ReadAt).ToList();
            }

            return snapshot;
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
    }

    private sealed record Verdict(string? Refusal, DateTime At);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Trial {TrialKey} ({Dataset}) cannot run on this worker and goes back to the queue for another: {Reason}")]
    private static partial void LogRefused(ILogger logger, string trialKey, string? dataset, string reason);
}
