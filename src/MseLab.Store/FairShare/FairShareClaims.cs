using System.Data.Common;
using System.Globalization;
using MseLab.Store.Database;
using MseLab.Store.Records;

namespace MseLab.Store.FairShare;

/// <summary>
/// The store's side of fair share: reads who used how much device time lately and which sweeps wait
/// (<see cref="ReadAsync"/>), and claims for a free device the next cell of the first sweep, in the order
/// <see cref="FairShareOrder"/> gives, that has one the device may run (<see cref="ClaimNextAsync"/>).
/// </summary>
public sealed class FairShareClaims(ResultsDatabase database, StoreClock clock)
{
    /// <summary>Reads the queued sweeps and every user's device time within the last <paramref name="window"/>.</summary>
    public async Task<FairShareSnapshot> ReadAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = await clock.NowAsync(cancellationToken);
        await using var db = database.CreateContext();
        var queued = await db.QueryAsync(FairShareSql.QueuedSweeps(), ReadQueued, cancellationToken);
        var usage = await db.QueryAsync(FairShareSql.Usage(database.Provider, now, now - window), ReadUsage, cancellationToken);
        return new FairShareSnapshot(now, queued, usage);
    }

    /// <summary>
    /// Claims for <paramref name="device"/> one queued cell of the first of <paramref name="sweeps"/> that has one it may
    /// run: of <paramref name="deviceKind"/>, needing at most <paramref name="memoryGb"/> (0 or less: any), past its retry
    /// backoff, not of a dataset in <paramref name="excludedDatasets"/>, its sweep not cancelled; a sweep's oldest cell
    /// first. Null when none of them has such a cell.
    /// </summary>
    public Task<ClaimedTrial?> ClaimNextAsync(
        IReadOnlyList<string> sweeps, string deviceKind, double memoryGb, string device, IReadOnlyList<string> excludedDatasets,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweeps);
        ArgumentNullException.ThrowIfNull(excludedDatasets);
        if (sweeps.Count == 0)
        {
            return Task.FromResult<ClaimedTrial?>(null);
        }

        var limit = memoryGb > 0 ? memoryGb : double.MaxValue;
        return database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            foreach (var sweep in sweeps)
            {
                var claimed = await db.QueryAsync(FairShareSql.Claim(database.Provider, sweep, deviceKind, limit, device, now, excludedDatasets), ReadClaim, ct);
                if (claimed is [var c])
                {
                    return new ClaimedTrial(new TrialLease(sweep, c.Key, c.Attempt), c.RunConfig, c.Backbone, c.Dataset);
                }
            }

            return (ClaimedTrial?)null;
        }, cancellationToken);
    }

    /// <summary>
    /// Gives back a cell <paramref name="device"/> claimed but will not run (this worker turned out unable to): Queued again
    /// as the same attempt, as if never claimed. False when the claim is no longer the device's.
    /// </summary>
    public Task<bool> UnclaimAsync(TrialLease lease, string device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(
            async (db, ct) => await db.ExecuteAsync(FairShareSql.Unclaim(lease.SweepId, lease.Key, lease.Attempt, device, await clock.NowAsync(ct)), ct) == 1,
            cancellationToken);
    }

    private static QueuedSweep ReadQueued(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Int(r, 4), DateTime.SpecifyKind(r.GetDateTime(5), DateTimeKind.Utc), Int(r, 6));

    private static OwnerUsage ReadUsage(DbDataReader r) => new(r.GetString(0), Int(r, 1), Double(r, 2), Double(r, 3), Int(r, 4), Double(r, 5));

    // Sums come back as 64-bit integers, decimals or doubles depending on the provider and the values.
    private static int Int(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double Double(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static Claimed ReadClaim(DbDataReader r) => new(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4));

    private sealed record Claimed(string Key, int Attempt, string RunConfig, string Backbone, string Dataset);
}
