using System.Globalization;
using MseLab.Experiments.EarlyStopping;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using static MseLab.Store.Database.LeaseRows;

namespace MseLab.Store.Database;

/// <summary>
/// Early stopping across trials, decided where every epoch is recorded (so it holds across worker processes and restarts:
/// the state is the store's trials and epochs, nothing in memory). At a rung epoch a seed stops (Pruned, its checkpoint
/// kept) unless its whole seed group has reached the rung and the sweep's rule lets the group go on: a configuration is
/// judged on its seeds' mean, never one seed alone. The seed that completes its group's rung decides, for its group and,
/// under ASHA, for every group paused at that rung (promoted ones are queued again from their checkpoints).
/// </summary>
internal static class RungStops
{
    public static async Task<EpochVerdict> DecideAsync(MseLabDbContext db, StoreProvider provider, TrialLease lease, int epoch, DateTime now, CancellationToken ct)
    {
        var stored = await db.QueryAsync($"""SELECT "EarlyStopping" FROM sweeps WHERE "Id" = {lease.SweepId}""", r => r.NullableString(0), ct);
        if (stored is not [{ } json] || EarlyStoppingJson.Read(json) is not { } rule)
        {
            return EpochVerdict.Continue;
        }

        var self = await db.QueryAsync(
            $"""SELECT "SeedGroup", "MaxEpochs" FROM trials WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key}""",
            r => (Group: r.GetString(0), MaxEpochs: r.Nullable<int>(1)), ct);
        if (self is not [var (group, maxEpochs)] || !rule.IsRung(epoch, maxEpochs))
        {
            return EpochVerdict.Continue;
        }

        if (provider == StoreProvider.Postgres)
        {
            // One rung decision of a sweep at a time across processes: two seeds completing a group in parallel transactions
            // would each miss the other's epoch. (SQLite's writer is one process and one transaction at a time already.)
            await db.ExecuteAsync($"""UPDATE sweeps SET "UpdatedAt" = "UpdatedAt" WHERE "Id" = {lease.SweepId}""", ct);
        }

        var cells = await db.QueryAsync(
            $"""SELECT "Key", "SeedGroup", "Status", "Epoch" FROM trials WHERE "SweepId" = {lease.SweepId}""",
            r => new RungCell(r.GetString(0), r.GetString(1), Enum.Parse<TrialStatus>(r.GetString(2)), r.GetInt32(3)), ct);
        var epochs = await db.QueryAsync(
            $"""SELECT "TrialKey", "Epoch", "Validation" FROM epochs WHERE "SweepId" = {lease.SweepId} AND "Epoch" <= {epoch}""",
            r => (Key: r.GetString(0), Epoch: r.GetInt32(1), Validation: r.GetString(2)), ct);
        var values = epochs.ToDictionary(e => (e.Key, e.Epoch), e => Value(rule, MetricJson.Read(e.Validation)));

        var groups = RungGroups.Build(rule, cells, values, epoch, arriving: lease.Key);
        if (!groups.TryGetValue(group, out var mine))
        {
            // Its other seeds have not all reached the rung: wait for them, paused at the checkpoint just stored.
            var (reached, live) = RungGroups.Progress(cells, values, group, epoch);
            var waiting = string.Create(CultureInfo.InvariantCulture, $"paused at epoch {epoch} ({rule.Method} rung): {reached} of {live} seeds of its group are there; the group is judged on their mean when all are");
            await PruneAsync(db, lease, now, waiting, ct);
            return new EpochVerdict(EpochDecision.Pruned, [], waiting);
        }

        if (!mine.Paused)
        {
            return EpochVerdict.Continue;   // the group went on at this rung before (this seed is a straggler, e.g. a retry)
        }

        var rung = groups.Values.ToList();
        var promote = RungDecisions.Promote(rule, rung, group);
        var queued = new List<QueuedCell>();
        foreach (var promoted in promote)
        {
            foreach (var cell in cells.Where(c => c.Group == promoted && c.Status == TrialStatus.Pruned && c.Epoch == epoch))
            {
                queued.AddRange(await ResumeAsync(db, lease.SweepId, cell.Key, now, ct));
            }
        }

        if (promote.Contains(group))
        {
            return new EpochVerdict(EpochDecision.Continue, queued);
        }

        var reason = Reason(rule, rung, mine, epoch);
        await PruneAsync(db, lease, now, reason, ct);
        return new EpochVerdict(EpochDecision.Pruned, queued, reason);
    }

    /// <summary>
    /// After a seed of <paramref name="key"/>'s group failed for good: if its other seeds all wait paused at one rung, the
    /// group is complete there now and is judged (promoted cells stay flagged in the dispatch outbox; the lease sweeper
    /// sends them). Without this they would wait for a seed that never comes.
    /// </summary>
    public static async Task ReconsiderAsync(MseLabDbContext db, StoreProvider provider, string sweepId, string key, DateTime now, CancellationToken ct)
    {
        var stored = await db.QueryAsync($"""SELECT "EarlyStopping" FROM sweeps WHERE "Id" = {sweepId}""", r => r.NullableString(0), ct);
        if (stored is not [{ } json] || EarlyStoppingJson.Read(json) is not { } rule)
        {
            return;
        }

        if (provider == StoreProvider.Postgres)
        {
            await db.ExecuteAsync($"""UPDATE sweeps SET "UpdatedAt" = "UpdatedAt" WHERE "Id" = {sweepId}""", ct);   // as in DecideAsync
        }

        var cells = await db.QueryAsync(
            $"""SELECT "Key", "SeedGroup", "Status", "Epoch" FROM trials WHERE "SweepId" = {sweepId}""",
            r => new RungCell(r.GetString(0), r.GetString(1), Enum.Parse<TrialStatus>(r.GetString(2)), r.GetInt32(3)), ct);
        var group = cells.Single(c => c.Key == key).Group;
        var waiting = cells.Where(c => c.Group == group && c.Key != key && c.Status is not (TrialStatus.Failed or TrialStatus.Cancelled)).ToList();
        if (waiting.Count == 0 || waiting.Any(c => c.Status != TrialStatus.Pruned) || waiting.Select(c => c.Epoch).Distinct().Count() != 1)
        {
            return;
        }

        var rung = waiting[0].Epoch;
        var epochs = await db.QueryAsync(
            $"""SELECT "TrialKey", "Epoch", "Validation" FROM epochs WHERE "SweepId" = {sweepId} AND "Epoch" <= {rung}""",
            r => (Key: r.GetString(0), Epoch: r.GetInt32(1), Validation: r.GetString(2)), ct);
        var values = epochs.ToDictionary(e => (e.Key, e.Epoch), e => Value(rule, MetricJson.Read(e.Validation)));
        var groups = RungGroups.Build(rule, cells, values, rung, arriving: "");
        if (!groups.TryGetValue(group, out var mine) || !mine.Paused)
        {
            return;
        }

        foreach (var promoted in RungDecisions.Promote(rule, groups.Values.ToList(), group))
        {
            foreach (var cell in cells.Where(c => c.Group == promoted && c.Status == TrialStatus.Pruned && c.Epoch == rung))
            {
                await ResumeAsync(db, sweepId, cell.Key, now, ct);
            }
        }
    }

    // NaN (an undefined metric) ranks last, whichever the direction.
    private static double Value(EarlyStoppingRule rule, Dictionary<string, double> validation) =>
        validation.TryGetValue(rule.Metric, out var v) && !double.IsNaN(v) ? v : rule.LowerIsBetter ? double.PositiveInfinity : double.NegativeInfinity;

    private static string Reason(EarlyStoppingRule rule, List<SeedGroupRung> rung, SeedGroupRung mine, int epoch)
    {
        var mean = mine.Mean.ToString("G4", CultureInfo.InvariantCulture);
        return rule.Method == EarlyStoppingMethod.Asha
            ? string.Create(CultureInfo.InvariantCulture,
                $"pruned at epoch {epoch} (asha): its seed group's mean {rule.Metric} {mean} is not among the best {RungDecisions.AshaKeep(rung.Count, rule.ReductionFactor)} of the {rung.Count} groups there yet; promoted if enough worse groups arrive")
            : string.Create(CultureInfo.InvariantCulture,
                $"pruned at epoch {epoch} (median): its seed group's best mean {rule.Metric} {mine.BestMean.ToString("G4", CultureInfo.InvariantCulture)} is worse than the median of the other {rung.Count - 1} groups' means");
    }

    // The attempt ends Pruned: its history row, then the cell. Its epoch and checkpoints were stored just before.
    private static async Task PruneAsync(MseLabDbContext db, TrialLease lease, DateTime now, string reason, CancellationToken ct)
    {
        var outcome = nameof(AttemptOutcome.Pruned);
        await db.ExecuteAsync($"""
            INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
            SELECT "SweepId", "Key", "Attempt", "Device", "StartedAt", {now}, {outcome}, {reason} FROM trials
            WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
            """, ct);
        await db.ExecuteAsync($"""
            UPDATE trials SET "Status" = {Pruned}, "FinishedAt" = {now}, "HeartbeatAt" = {now}
            WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
            """, ct);
    }

    // A promoted cell: its next attempt, resumed by whichever worker takes it from the checkpoint in the store; flagged in
    // the dispatch outbox until its message is sent.
    private static Task<List<QueuedCell>> ResumeAsync(MseLabDbContext db, string sweepId, string key, DateTime now, CancellationToken ct) =>
        db.QueryAsync($"""
            UPDATE trials SET "Status" = {Queued}, "Attempt" = "Attempt" + 1, "DispatchPending" = TRUE, "NotBefore" = NULL, "QueuedAt" = {now},
                "HeartbeatAt" = {now}, "StartedAt" = NULL, "FinishedAt" = NULL, "Error" = NULL
            WHERE "SweepId" = {sweepId} AND "Key" = {key} AND "Status" = {Pruned}
            RETURNING "Attempt", "Priority", "DeviceKind", "MemoryGb", "Backbone", "Dataset"
            """, r => new QueuedCell(new TrialLease(sweepId, key, r.GetInt32(0)), r.GetInt32(1), r.GetString(2), r.GetDouble(3), null, r.GetString(4), r.GetString(5)), ct);
}
