using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MseLab.Store.Database;
using MseLab.Store.Records;

namespace MseLab.Store.Queries;

/// <summary>
/// Runs <see cref="LeaderboardSql"/> and turns its rows into <see cref="LeaderboardGroup"/>s as <see cref="Leaderboard.Build"/>
/// makes them: labels formatted in C#, raw groups with the same labels merged (counts added, mean and squared deviations
/// combined exactly by Chan's formula), the sample std's square root taken here (SQLite has no sqrt in every build).
/// </summary>
internal static class LeaderboardQuery
{
    // The group-by field and the configuration key that differ between the cells of a seed group.
    private const string Seed = "seed";

    private const string SeedKey = "Seed";

    /// <summary>The leaderboard of the matched cells; <paramref name="groupBy"/> null: seed groups, labelled by <see cref="Leaderboard.DefaultGroupBy"/>.</summary>
    /// <remarks>
    /// With <paramref name="seedGroupMoments"/> false it always aggregates the cells (the tests compare both ways with
    /// <see cref="Leaderboard.Build"/>); otherwise a filter and grouping that every cell of a seed group shares read the
    /// moments the database keeps per seed group.
    /// </remarks>
    /// <exception cref="ArgumentException">A group-by field is neither a fixed field nor a key of the matched cells' configuration.</exception>
    public static async Task<IReadOnlyList<LeaderboardGroup>> RunAsync(
        MseLabDbContext db, FilterDialect dialect, string? sweepId, FilterNode? where, IReadOnlyList<string>? groupBy, CancellationToken cancellationToken,
        bool seedGroupMoments = true)
    {
        var fields = groupBy ?? Leaderboard.DefaultGroupBy;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Fast path: a filter and grouping that all cells of a seed group share read one row per seed group (and per
            // metric) that the database's triggers keep, instead of every cell and metric row.
            var fast = seedGroupMoments && (where is null || FilterFields.IsSeedGroupConstant(where)) && !fields.Any(f => string.Equals(f, Seed, StringComparison.OrdinalIgnoreCase));
            var configKeys = new Dictionary<string, string>(StringComparer.Ordinal);
            if (fields.Any(f => !Leaderboard.IsFixed(f)))
            {
                // A hyperparameter's key is looked up in the first matched cell, as Build does (no cell: no groups, no error).
                var (text, arguments) = LeaderboardSql.Sample(dialect, sweepId, where, fast);
                await using var sample = Command(connection, text, arguments);
                if (await sample.ExecuteScalarAsync(cancellationToken) is not string config)
                {
                    return [];
                }

                foreach (var field in fields.Where(f => !Leaderboard.IsFixed(f)))
                {
                    configKeys[field] = Leaderboard.ConfigKey(field, config);
                }

                // The seed is in the configuration too: grouping by it needs the cells.
                fast &= !configKeys.Values.Any(k => string.Equals(k, SeedKey, StringComparison.Ordinal));
            }

            var keys = fields.Select(f => LeaderboardKey.For(f, configKeys.GetValueOrDefault(f))).ToList();
            if (groupBy is null)
            {
                keys.Add(LeaderboardKey.For("seed_group", null));   // the group; the labels above come from its first cell
            }

            var raw = fast
                ? await ReadSeedGroupsAsync(connection, dialect, sweepId, where, keys, cancellationToken)
                : await ReadCellsAsync(connection, dialect, sweepId, where, keys, cancellationToken);
            return Merge(raw, fields, groupBy is null, wholeSeedGroups: fast);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Today's statement over the cells: one row per raw group (cells with equal keys) and per metric of it.
    private static async Task<ICollection<RawGroup>> ReadCellsAsync(
        DbConnection connection, FilterDialect dialect, string? sweepId, FilterNode? where, List<LeaderboardKey> keys, CancellationToken cancellationToken)
    {
        var sql = LeaderboardSql.Build(dialect, sweepId, where, keys);
        await using var command = Command(connection, sql.Text, sql.Arguments);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var raw = new Dictionary<long, RawGroup>();
        var metrics = new List<(long Group, string Name, Moments Moments)>();
        var at = 2 + keys.Count;
        while (await reader.ReadAsync(cancellationToken))
        {
            var g = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            if (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture) == 0)
            {
                raw[g] = new RawGroup(keys.Select((k, i) => k.Label(reader.IsDBNull(2 + i) ? null : reader.GetValue(2 + i))).ToArray())
                {
                    Planned = Convert.ToInt32(reader.GetValue(at + 1), CultureInfo.InvariantCulture),
                    Finished = Convert.ToInt32(reader.GetValue(at + 2), CultureInfo.InvariantCulture),
                    MinSeed = Convert.ToInt64(reader.GetValue(at + 3), CultureInfo.InvariantCulture),
                };
            }
            else
            {
                var n = Convert.ToInt64(reader.GetValue(at + 4), CultureInfo.InvariantCulture);
                metrics.Add((g, reader.GetString(at), n == 0 ? default : new Moments(n, reader.GetDouble(at + 5), reader.IsDBNull(at + 6) ? 0 : reader.GetDouble(at + 6))));
            }
        }

        foreach (var (g, name, moments) in metrics)
        {
            raw[g].Metrics[name] = moments;
        }

        return raw.Values;
    }

    // The fast path: each matched seed group is a raw group, with the moments the triggers stored.
    private static async Task<ICollection<RawGroup>> ReadSeedGroupsAsync(
        DbConnection connection, FilterDialect dialect, string? sweepId, FilterNode? where, List<LeaderboardKey> keys, CancellationToken cancellationToken)
    {
        var raw = new Dictionary<(string Sweep, string Group), RawGroup>();
        var (groupsText, groupsArguments) = LeaderboardSql.SeedGroups(dialect, sweepId, where, keys);
        await using (var command = Command(connection, groupsText, groupsArguments))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                raw[(reader.GetString(0), reader.GetString(1))] = new RawGroup(keys.Select((k, i) => k.Label(reader.IsDBNull(5 + i) ? null : reader.GetValue(5 + i))).ToArray())
                {
                    Planned = reader.GetInt32(2),
                    Finished = reader.GetInt32(3),
                    MinSeed = reader.GetInt32(4),
                };
            }
        }

        var (metricsText, metricsArguments) = LeaderboardSql.SeedGroupMetrics(dialect, sweepId, where);
        await using (var command = Command(connection, metricsText, metricsArguments))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (raw.TryGetValue((reader.GetString(0), reader.GetString(1)), out var group))
                {
                    var n = reader.GetInt32(3);
                    group.Metrics[reader.GetString(2)] = n == 0 ? default : new Moments(n, reader.GetDouble(4), reader.GetDouble(5));
                }
            }
        }

        return raw.Values;
    }

    // wholeSeedGroups: each raw group is a whole seed group (the fast path), so none has two whose order would choose its labels.
    private static List<LeaderboardGroup> Merge(ICollection<RawGroup> raw, IReadOnlyList<string> fields, bool seedGroups, bool wholeSeedGroups)
    {
        // Raw groups in the order Build meets their cells (backbone, dataset, seed within a sweep's seed group): the
        // first one of a merged group gives its labels.
        var ordered = seedGroups && !wholeSeedGroups
            ? raw.OrderBy(g => g.Labels[2], StringComparer.Ordinal).ThenBy(g => g.Labels[3], StringComparer.Ordinal).ThenBy(g => g.MinSeed)
            : raw.AsEnumerable();
        var merged = new Dictionary<string, Merged>(StringComparer.Ordinal);
        foreach (var group in ordered)
        {
            // Seed groups merge by sweep and seed group (the last key); any other grouping by its labels.
            var id = seedGroups ? group.Labels[0] + "\n" + group.Labels[^1] : string.Join("\n", group.Labels);
            if (!merged.TryGetValue(id, out var into))
            {
                merged[id] = into = new Merged(id, group.Labels[..fields.Count]);
            }

            into.Planned += group.Planned;
            into.Finished += group.Finished;
            foreach (var (name, moments) in group.Metrics)
            {
                into.Metrics[name] = into.Metrics.TryGetValue(name, out var before) ? Moments.Combine(before, moments) : moments;
            }
        }

        // By the labels; seed groups with the same labels (learning rates equal to six digits) as Build meets them: by seed group.
        return merged.Values
            .OrderBy(m => string.Join("\n", m.Labels), StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => new LeaderboardGroup(
                fields.Select((f, i) => (f, m.Labels[i])).ToDictionary(p => p.f, p => p.Item2, StringComparer.Ordinal),
                m.Finished,
                m.Planned,
                m.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value.Summary(), StringComparer.Ordinal)))
            .ToList();
    }

    // The statement's text is built per query (the filter's shape varies), so it is translated here, not cached.
    private static DbCommand Command(DbConnection connection, string text, IReadOnlyList<object> arguments) =>
        RawSql.Command(connection, RawSql.CommandText(text), arguments);

    /// <summary>Count, mean and sum of squared deviations of a metric's finite values.</summary>
    private readonly record struct Moments(long N, double Mean, double M2)
    {
        // Chan, Golub and LeVeque's pairwise update: exact for the merged set, no cancellation.
        public static Moments Combine(Moments a, Moments b)
        {
            if (a.N == 0 || b.N == 0)
            {
                return a.N == 0 ? b : a;
            }

            var n = a.N + b.N;
            var delta = b.Mean - a.Mean;
            return new Moments(n, a.Mean + (delta * b.N / n), a.M2 + b.M2 + (delta * delta * a.N * b.N / n));
        }

        public MetricSummary Summary() => N == 0 ? new MetricSummary(double.NaN, null) : new MetricSummary(Mean, N < 2 ? null : Math.Sqrt(M2 / (N - 1)));
    }

    private sealed class RawGroup(string[] labels)
    {
        public string[] Labels { get; } = labels;

        public int Planned { get; set; }

        public int Finished { get; set; }

        public long MinSeed { get; set; }

        public Dictionary<string, Moments> Metrics { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Merged(string id, string[] labels)
    {
        public string Id { get; } = id;

        public string[] Labels { get; } = labels;

        public int Planned { get; set; }

        public int Finished { get; set; }

        public Dictionary<string, Moments> Metrics { get; } = new(StringComparer.Ordinal);
    }
}
