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
            // Fast path: a filter and grouping that all cells of a seed group share read the one row per seed group that
            // the database's triggers keep, instead of every cell and metric row.
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

            if (!fast)
            {
                return Merge(await ReadCellsAsync(connection, dialect, sweepId, where, keys, cancellationToken), fields, seedGroups: groupBy is null);
            }

            var rows = await ReadSeedGroupsAsync(connection, dialect, sweepId, where, keys, cancellationToken);
            return groupBy is null ? rows.Sorted(fields.ToArray()) : Merge(rows.AsRawGroups(), fields, seedGroups: false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Today's statement over the cells: one row per raw group (cells with equal keys) and per metric of it.
    private static async Task<List<RawGroup>> ReadCellsAsync(
        DbConnection connection, FilterDialect dialect, string? sweepId, FilterNode? where, List<LeaderboardKey> keys, CancellationToken cancellationToken)
    {
        var sql = LeaderboardSql.Build(dialect, sweepId, where, keys);
        await using var command = Command(connection, sql.Text, sql.Arguments);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var raw = new Dictionary<long, RawGroup>();
        var metrics = new Dictionary<long, List<(string Name, Moments Moments)>>();
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
                var moments = n == 0 ? default : new Moments(n, reader.GetDouble(at + 5), reader.IsDBNull(at + 6) ? 0 : reader.GetDouble(at + 6));
                if (!metrics.TryGetValue(g, out var list))
                {
                    metrics[g] = list = [];
                }

                list.Add((reader.GetString(at), moments));
            }
        }

        var names = new MetricNames();
        foreach (var (g, list) in metrics)
        {
            raw[g].Metrics = names.Set(list);
        }

        return [.. raw.Values];
    }

    // The fast path: one row per matched seed group, with the moments the triggers packed into it, kept column by column
    // (SeedGroupRows). 20,000 groups come back in about 130 ms, so the loop allocates little and keeps less: labels read
    // typed and shared per distinct value, metric names shared, the JSON decoded from its UTF-8 bytes.
    private static async Task<SeedGroupRows> ReadSeedGroupsAsync(
        DbConnection connection, FilterDialect dialect, string? sweepId, FilterNode? where, List<LeaderboardKey> keys, CancellationToken cancellationToken)
    {
        var rows = new SeedGroupRows(keys.Count);
        var names = new MetricNames();
        var labels = keys.Select(k => k.Reader()).ToArray();
        var read = new List<(string Name, Moments Moments)>();
        var (text, arguments) = LeaderboardSql.SeedGroups(dialect, sweepId, where, keys);
        await using var command = Command(connection, text, arguments);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < labels.Length; i++)
            {
                rows.Labels[i].Add(labels[i](reader, 3 + i));
            }

            // Not GetBytes: Microsoft.Data.Sqlite looks up the column's table for it, and an expression has none (it crashed).
            read.Clear();
            names.Read(reader.GetFieldValue<byte[]>(2), read);
            rows.Add(reader.GetInt32(0), reader.GetInt32(1), read, names);
        }

        return rows;
    }

    // Raw groups with the same labels (the cells of one seed group, or seed groups under a coarser grouping) made one.
    private static LeaderboardGroups Merge(IEnumerable<RawGroup> raw, IReadOnlyList<string> fields, bool seedGroups)
    {
        // Raw groups in the order Build meets their cells (backbone, dataset, seed within a sweep's seed group): the
        // first one of a merged group gives its labels.
        var ordered = seedGroups
            ? raw.OrderBy(g => g.Labels[2], StringComparer.Ordinal).ThenBy(g => g.Labels[3], StringComparer.Ordinal).ThenBy(g => g.MinSeed)
            : raw;
        var byId = new Dictionary<string, (RawGroup First, Dictionary<string, Moments> Metrics)>(StringComparer.Ordinal);
        foreach (var group in ordered)
        {
            // Seed groups merge by sweep and seed group (the last key); any other grouping by its labels.
            var id = seedGroups ? group.Labels[0] + "\n" + group.Labels[^1] : string.Join("\n", group.Labels);
            if (!byId.TryGetValue(id, out var into))
            {
                byId[id] = into = (new RawGroup(group.Labels), new Dictionary<string, Moments>(StringComparer.Ordinal));
            }

            into.First.Planned += group.Planned;
            into.First.Finished += group.Finished;
            for (var i = 0; i < group.Metrics.Names.Length; i++)
            {
                var (name, moments) = (group.Metrics.Names[i], group.Metrics.Moments[i]);
                into.Metrics[name] = into.Metrics.TryGetValue(name, out var before) ? Moments.Combine(before, moments) : moments;
            }
        }

        var metricNames = new MetricNames();
        var merged = byId.Values.Select(m => { m.First.Metrics = metricNames.Set([.. m.Metrics.Select(p => (p.Key, p.Value))]); return m.First; }).ToList();

        // By the labels as Build orders them (joined by newlines, ordinal); seed groups with the same labels (learning
        // rates equal to six digits) as Build meets them: by sweep and seed group.
        var count = fields.Count;
        merged.Sort((a, b) =>
        {
            var byLabels = JoinedOrder.Compare(a.Labels, b.Labels, count);
            return byLabels != 0 || !seedGroups ? byLabels : JoinedOrder.Compare<string[]>([a.Labels[0], a.Labels[^1]], [b.Labels[0], b.Labels[^1]], 2);
        });
        var names = fields.ToArray();
        return new LeaderboardGroups(merged.Count, i => merged[i].ToGroup(names));
    }

    // The statement's text is built per query (the filter's shape varies), so it is translated here, not cached.
    private static DbCommand Command(DbConnection connection, string text, IReadOnlyList<object> arguments) =>
        RawSql.Command(connection, RawSql.CommandText(text), arguments);
}
