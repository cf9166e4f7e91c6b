using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Database;
using MseLab.Store.Entities;
using MseLab.Store.Queries;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>Reads for views (status, live progress, leaderboards, attempt history): LINQ without tracking, projected into records.</summary>
public sealed class ResultQueries(ResultsDatabase database)
{
    /// <summary>Where the store is (for messages).</summary>
    public string Location => database.Location;

    /// <summary>Every sweep (or one) with its cell counts by status, newest first.</summary>
    public async Task<IReadOnlyList<SweepSummary>> SweepsAsync(string? sweepId = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var sweeps = await db.Sweeps.AsNoTracking().Where(s => sweepId == null || s.Id == sweepId).ToListAsync(cancellationToken);
        var counts = await db.Trials.AsNoTracking()
            .Where(t => sweepId == null || t.SweepId == sweepId)
            .GroupBy(t => new { t.SweepId, t.Status })
            .Select(g => new { g.Key.SweepId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Count(string id, TrialStatus status) => counts.Where(c => c.SweepId == id && c.Status == status).Sum(c => c.Count);
        return sweeps
            .Select(s => new SweepSummary(s.Id, s.File, s.Cancelled, Count(s.Id, TrialStatus.Queued), Count(s.Id, TrialStatus.Running),
                Count(s.Id, TrialStatus.Succeeded), Count(s.Id, TrialStatus.Failed), Count(s.Id, TrialStatus.Cancelled), Count(s.Id, TrialStatus.Pruned), s.UpdatedAt))
            .OrderByDescending(s => s.UpdatedAt)
            .ToList();
    }

    /// <summary>Whether a sweep of that name is in the store.</summary>
    public async Task<bool> SweepExistsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Sweeps.AnyAsync(s => s.Id == sweepId, cancellationToken);
    }

    /// <summary>The sweep's owner (<see cref="SweepOwners.Local"/> when submitted without a token), or null when there is no such sweep.</summary>
    public async Task<string?> SweepOwnerAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.Owner).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Whether the sweep is cancelled (false when there is no such sweep).</summary>
    public async Task<bool> SweepCancelledAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Sweeps.AnyAsync(s => s.Id == sweepId && s.Cancelled, cancellationToken);
    }

    /// <summary>
    /// The cells of a sweep (or of all sweeps), optionally of one status and matching a filter (<see cref="FilterParser"/>),
    /// with their test metrics unless told not to. The filter runs in the database as parameterised SQL.
    /// </summary>
    public async Task<IReadOnlyList<TrialRow>> TrialsAsync(
        string? sweepId, TrialStatus? status = null, bool withTestMetrics = true, FilterNode? where = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var query = Filtered(db, where).AsNoTracking()
            .Where(t => sweepId == null || t.SweepId == sweepId)
            .Where(t => status == null || t.Status == status);
        var trials = await (withTestMetrics ? query.Include(t => t.TestMetrics) : query).ToListAsync(cancellationToken);
        return trials
            .OrderBy(t => t.SweepId, StringComparer.Ordinal).ThenBy(t => t.Backbone, StringComparer.Ordinal).ThenBy(t => t.Dataset, StringComparer.Ordinal)
            .ThenBy(t => t.SeedGroup, StringComparer.Ordinal).ThenBy(t => t.Seed)
            .Select(t => new TrialRow(t.SweepId, t.Key, t.SeedGroup, t.Backbone, t.Dataset, t.Seed, t.LearningRate, t.MaxEpochs, t.ResolvedConfig, t.Status,
                t.Attempt, t.Device, t.Epoch, t.TrainLoss, t.BestValidation, t.Error, t.StartedAt, t.FinishedAt,
                t.TestMetrics.ToDictionary(m => m.Name, m => m.Value ?? double.NaN, StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// The leaderboard of a sweep's cells (or of every sweep's) matching a filter: mean, sample std and n of each test metric
    /// per group (<paramref name="groupBy"/> null: seed groups), ordered by the group-by values. Aggregated in the database
    /// (<see cref="LeaderboardSql"/>): only one row per group and metric comes back, with what <see cref="Leaderboard.Build"/>
    /// computes from the cells.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown group-by field; the message lists the valid ones.</exception>
    public async Task<IReadOnlyList<LeaderboardGroup>> LeaderboardAsync(
        string? sweepId, FilterNode? where = null, IReadOnlyList<string>? groupBy = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await LeaderboardQuery.RunAsync(db, FilterDialect.For(database.Provider), sweepId, where, groupBy, cancellationToken);
    }

    /// <summary>Status columns only of a sweep's cells: cheap enough to poll (the sweep grain follows other processes' writes with it).</summary>
    public async Task<IReadOnlyList<CellState>> CellStatesAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == sweepId)
            .Select(t => new CellState(t.Key, t.Status, t.Attempt, t.Device, t.Epoch, t.TrainLoss, t.BestValidation))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The stored epochs of one cell, in order.</summary>
    public async Task<IReadOnlyList<EpochReport>> EpochsAsync(string sweepId, string key, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.Epochs.AsNoTracking().Where(e => e.SweepId == sweepId && e.TrialKey == key).OrderBy(e => e.Epoch).ToListAsync(cancellationToken);
        return rows.Select(e => new EpochReport(e.Epoch, e.TrainLoss, e.LearningRate, MetricJson.Read(e.Validation), e.Seconds, e.SamplesPerSecond)).ToList();
    }

    /// <summary>
    /// Every stored epoch of a sweep's cells (or of all sweeps) with the cell's configuration, in one joined query (not one per
    /// cell), ordered by sweep, backbone, dataset, seed group, seed and epoch.
    /// </summary>
    public async Task<IReadOnlyList<EpochRow>> EpochRowsAsync(string? sweepId, FilterNode? where = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.Epochs.AsNoTracking()
            .Where(e => sweepId == null || e.SweepId == sweepId)
            .Join(Filtered(db, where).AsNoTracking(), e => new { e.SweepId, Key = e.TrialKey }, t => new { t.SweepId, t.Key },
                (e, t) => new { t.SweepId, t.Key, t.SeedGroup, t.Backbone, t.Dataset, t.Seed, t.LearningRate, e.Epoch, e.TrainLoss, EpochLearningRate = e.LearningRate, e.Validation })
            .ToListAsync(cancellationToken);
        return rows
            .OrderBy(r => r.SweepId, StringComparer.Ordinal).ThenBy(r => r.Backbone, StringComparer.Ordinal).ThenBy(r => r.Dataset, StringComparer.Ordinal)
            .ThenBy(r => r.SeedGroup, StringComparer.Ordinal).ThenBy(r => r.Seed).ThenBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Epoch)
            .Select(r => new EpochRow(r.SweepId, r.Key, r.Backbone, r.Dataset, r.Seed, r.LearningRate, r.Epoch, r.TrainLoss, r.EpochLearningRate, MetricJson.Read(r.Validation)))
            .ToList();
    }

    /// <summary>Which attempt wrote each stored epoch of a cell (a resumed cell keeps the epochs of the attempt before).</summary>
    public async Task<IReadOnlyDictionary<int, int>> EpochAttemptsAsync(string sweepId, string key, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Epochs.AsNoTracking().Where(e => e.SweepId == sweepId && e.TrialKey == key).ToDictionaryAsync(e => e.Epoch, e => e.Attempt, cancellationToken);
    }

    /// <summary>The ended attempts of a sweep's cells (or of one cell), oldest first.</summary>
    public async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(string sweepId, string? trialKey = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.Attempts.AsNoTracking()
            .Where(a => a.SweepId == sweepId && (trialKey == null || a.TrialKey == trialKey))
            .Select(a => new AttemptRow(a.TrialKey, a.Attempt, a.Device, a.StartedAt, a.EndedAt, a.Outcome, a.Reason))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(a => a.TrialKey, StringComparer.Ordinal).ThenBy(a => a.Attempt).ToList();
    }

    /// <summary>The trials matching a filter (every trial when null), as parameterised SQL that LINQ can compose on.</summary>
    private IQueryable<TrialEntity> Filtered(MseLabDbContext db, FilterNode? where)
    {
        if (where is null)
        {
            return db.Trials;
        }

        var sql = FilterSql.From(where, FilterDialect.For(database.Provider));
#pragma warning disable EF1003 // The condition is built from a closed set of fragments; every value from the user is a parameter in Arguments.
        return db.Trials.FromSqlRaw("SELECT t.* FROM trials AS t WHERE " + sql.Condition, [.. sql.Arguments]);
#pragma warning restore EF1003
    }
}
