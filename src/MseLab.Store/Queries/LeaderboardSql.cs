using System.Globalization;
using MseLab.Experiments.Trials;

namespace MseLab.Store.Queries;

/// <summary>
/// The leaderboard as one SQL statement, the same text for SQLite and Postgres but for the JSON reads: every matched cell
/// is grouped by the raw values of <see cref="Keys"/>, and per group the statement returns the planned and finished cells
/// and, per test metric of the finished cells, n, mean and the sum of squared deviations from the mean (two passes: the
/// mean first, as a window over the group, then the deviations, so that no sum of squares minus squared sum cancels). Values that are not finite
/// (NULL, which is how NaN is stored, and the infinities) are left out as <see cref="Leaderboard.Build"/> leaves them out.
/// Every value from the caller (sweep, filter values, JSON keys, the status) is a parameter: <c>{0}</c>, <c>{1}</c>, ...
/// </summary>
/// <remarks>
/// Rows: kind 0 = a group (its number g, keys, planned, finished, lowest seed); kind 1 = a metric of group g (name, n,
/// mean, m2). Columns: kind, g, k0..kN-1 (NULL in metric rows), then name, planned, finished, min_seed, n, mean, m2.
/// </remarks>
internal sealed record LeaderboardSql(string Text, IReadOnlyList<object> Arguments, IReadOnlyList<LeaderboardKey> Keys)
{
    // Finite doubles are exactly those between -max and max: NULL, NaN (Postgres orders it above every number) and the
    // infinities all fail the test on both databases.
    private const string Finite = "BETWEEN -1.7976931348623157E308 AND 1.7976931348623157E308";

    // The table the database's triggers keep (migrations SeedGroupMoments, SeedGroupPackedMoments, SeedGroupStatsIncremental).
    private const string SeedGroupStats = "seed_group_stats";

    /// <summary>The statement over the cells of <paramref name="sweepId"/> (null: all sweeps) that match <paramref name="where"/>.</summary>
    public static LeaderboardSql Build(FilterDialect dialect, string? sweepId, FilterNode? where, IReadOnlyList<LeaderboardKey> keys)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("A leaderboard needs at least one group-by field.", nameof(keys));
        }

        var (arguments, arg, whereClause) = Conditions(dialect, sweepId, where);
        var k = Enumerable.Range(0, keys.Count).Select(i => "k" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var keyColumns = string.Join(", ", keys.Select((key, i) => $"{key.Sql(dialect, arg)} AS {k[i]}"));
        var list = string.Join(", ", k);
        var succeeded = arg(nameof(TrialStatus.Succeeded));
        // The cells are numbered by group first (g, one sort over the cells' keys), so that the metric rows, many more,
        // are partitioned and grouped by a number, not by the keys' text.
        var text = $"""
            WITH keyed AS (
                SELECT t."SweepId" AS sweep_id, t."Key" AS trial_key, t."Status" AS status, t."Seed" AS seed, {keyColumns}
                FROM trials AS t{whereClause}
            ),
            cells AS (
                SELECT keyed.*, DENSE_RANK() OVER (ORDER BY {list}) AS g FROM keyed
            ),
            vals AS (
                SELECT c.g, m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                FROM cells AS c JOIN test_metrics AS m ON m."SweepId" = c.sweep_id AND m."TrialKey" = c.trial_key
                WHERE c.status = {succeeded}
            ),
            deviations AS (
                SELECT g, name, v, AVG(v) OVER (PARTITION BY g, name) AS mean FROM vals
            )
            SELECT 0 AS kind, g, {list}, NULL AS name, COUNT(*) AS planned, SUM(CASE WHEN status = {succeeded} THEN 1 ELSE 0 END) AS finished,
                MIN(seed) AS min_seed, NULL AS n, NULL AS mean, NULL AS m2
            FROM cells GROUP BY g, {list}
            UNION ALL
            SELECT 1, g, {string.Join(", ", k.Select(_ => "NULL"))}, name, NULL, NULL, NULL, COUNT(v), MIN(mean), SUM((v - mean) * (v - mean))
            FROM deviations GROUP BY g, name
            """;
        return new LeaderboardSql(text, arguments, keys);
    }

    /// <summary>
    /// The first matched cell's resolved configuration in the order <see cref="ResultQueries.TrialsAsync"/> lists cells
    /// (where <see cref="Leaderboard.Build"/> looks up a hyperparameter's key): one row or none.
    /// </summary>
    /// <remarks>
    /// Over <c>seed_group_stats</c> (<paramref name="seedGroups"/>) the row is the first group's lowest-seed cell, which
    /// is the first cell: the order's columns are the group's.
    /// </remarks>
    public static (string Text, IReadOnlyList<object> Arguments) Sample(FilterDialect dialect, string? sweepId, FilterNode? where, bool seedGroups = false)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var (arguments, _, whereClause) = Conditions(dialect, sweepId, where);
        var table = seedGroups ? SeedGroupStats : "trials";
        // Ordinal text order, as the C# ordering: SQLite's default collation is binary, Postgres' is the database's locale.
        var collate = dialect == FilterDialect.Postgres ? " COLLATE \"C\"" : "";
        var order = string.Join(", ", ((string[])["SweepId", "Backbone", "Dataset", "SeedGroup"]).Select(c => $"t.\"{c}\"{collate}"));
        return ($"SELECT t.\"ResolvedConfig\" FROM {table} AS t{whereClause} ORDER BY {order}, t.\"Seed\" LIMIT 1", arguments);
    }

    /// <summary>
    /// The fast path: one row per matched seed group of <c>seed_group_stats</c> (whose columns are named as the trials',
    /// so the filter and the keys read it as <c>t</c>): planned, finished, the metrics' moments as JSON in
    /// UTF-8 bytes (decoded straight from them, no string per row), k0..kN-1. Only for a filter and keys that every cell
    /// of a seed group shares.
    /// </summary>
    public static (string Text, IReadOnlyList<object> Arguments) SeedGroups(FilterDialect dialect, string? sweepId, FilterNode? where, IReadOnlyList<LeaderboardKey> keys)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(keys);
        var (arguments, arg, whereClause) = Conditions(dialect, sweepId, where);
        var keyColumns = string.Concat(keys.Select((key, i) => $", {key.SeedGroupColumn ?? key.Sql(dialect, arg)} AS k{i.ToString(CultureInfo.InvariantCulture)}"));
        var moments = dialect == FilterDialect.Postgres ? "convert_to(t.\"Moments\", 'UTF8')" : "CAST(t.\"Moments\" AS BLOB)";
        return ($"SELECT t.\"Planned\", t.\"Finished\", {moments}{keyColumns} FROM {SeedGroupStats} AS t{whereClause}", arguments);
    }

    // The cells' WHERE clause (sweep and filter; empty when neither) with its arguments, and the function that adds more.
    private static (List<object> Arguments, Func<object, string> Arg, string Where) Conditions(FilterDialect dialect, string? sweepId, FilterNode? where)
    {
        // The filter's placeholders come first ({0}..), ours after them.
        var filter = where is null ? null : FilterSql.From(where, dialect);
        var arguments = new List<object>(filter?.Arguments ?? []);
        string Arg(object value)
        {
            arguments.Add(value);
            return "{" + (arguments.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }

        var conditions = new List<string>();
        if (sweepId is not null)
        {
            conditions.Add($"t.\"SweepId\" = {Arg(sweepId)}");
        }

        if (filter is not null)
        {
            conditions.Add(filter.Condition);
        }

        return (arguments, Arg, conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "");
    }
}
