using Microsoft.EntityFrameworkCore.Migrations;

namespace MseLab.Store.Database;

/// <summary>
/// The SQLite triggers that keep <c>seed_group_stats</c> (migration <c>SeedGroupStatsIncremental</c>). The writes of
/// dispatch (submitting a cell, claiming, starting, succeeding) change a group's row by a count, in time independent of
/// the group's size; a test metric of a succeeded cell recomputes that metric's entry; the whole row is recomputed from
/// the cells only where values leave the moments (a succeeded cell with metrics deleted or no longer succeeded, a metric
/// changed or deleted) or a cell moves between groups or changes its configuration.
/// </summary>
/// <remarks>
/// Before, every cell insert and every status change recomputed its group from all of its cells: a sweep of 10,000 seeds
/// of one configuration (<c>mselab bench dispatch</c>) then cost some 6 ms per submitted cell and 14 ms per trial's
/// lifecycle, quadratic in the group's size. Now a claim or a start (no status to or from Succeeded) fires nothing; a
/// submission adds one to Planned; a success adds one to Finished; a test metric of a succeeded cell recomputes that
/// metric's entry alone (the group's values of one metric, not every metric's). Where a write needs the whole row
/// recomputed, a second trigger on the same event does it instead (their WHEN clauses exclude each other).
/// </remarks>
public static class SeedGroupStatsSqlite
{
    // Finite doubles are exactly those between -max and max (NULL, which is how NaN is stored, and the infinities fail).
    private const string Finite = "BETWEEN -1.7976931348623157E308 AND 1.7976931348623157E308";

    private const string Succeeded = "'Succeeded'";

    // The moments of a group without metrics.
    private const string NoMoments = "'{}'";

    // The configuration columns the row keeps from the group's first cell (lowest seed, then key).
    private static readonly string[] Identity = ["Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig"];

    private static readonly string[] Triggers =
    [
        "seed_group_trial_insert", "seed_group_trial_insert_measured", "seed_group_trial_delete", "seed_group_trial_delete_measured", "seed_group_trial_update",
        "seed_group_trial_finished", "seed_group_trial_finished_measured", "seed_group_metric_insert", "seed_group_metric_delete", "seed_group_metric_update",
    ];

    /// <summary>Drops the triggers <see cref="CreateTriggers"/> made (those of <c>SeedGroupPackedMoments</c> too: same names).</summary>
    public static void DropTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var trigger in Triggers)
        {
            migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger}");
        }
    }

    /// <summary>Creates the incremental triggers on <c>trials</c> and <c>test_metrics</c>.</summary>
    public static void CreateTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var keyChanged = """OLD."SweepId" IS NOT NEW."SweepId" OR OLD."SeedGroup" IS NOT NEW."SeedGroup" """
            + string.Concat(Identity.Select(c => $" OR OLD.\"{c}\" IS NOT NEW.\"{c}\""));
        var identity = string.Join(", ", Identity.Select(c => $"\"{c}\""));

        // A new cell: one more planned (and finished, if it comes succeeded); its configuration if it is now the first.
        // (No INSERT OR IGNORE: an outer statement's conflict clause would override it within the trigger.)
        // A cell that comes succeeded with metrics already stored (none of the store's paths writes that) is recomputed.
        Pair(migrationBuilder, "seed_group_trial_insert", "AFTER INSERT ON trials", null, $"NEW.\"Status\" = {Succeeded} AND {HasMetrics("NEW")}", $"""
            INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", {identity}, "Family", "Moments")
            SELECT NEW."SweepId", NEW."SeedGroup", 0, 0, {Values("NEW")}, {Family("NEW")}, {NoMoments}
            WHERE NOT EXISTS (SELECT 1 FROM seed_group_stats WHERE {Group("NEW")});
            UPDATE seed_group_stats SET "Planned" = "Planned" + 1, "Finished" = "Finished" + (NEW."Status" = {Succeeded})
            WHERE {Group("NEW")};
            UPDATE seed_group_stats SET ({identity}, "Family") = ({Values("NEW")}, {Family("NEW")})
            WHERE {Group("NEW")} AND (NEW."Seed" < "Seed" OR NEW."Seed" = "Seed" AND NEW."Key" < (
                SELECT min("Key") FROM trials WHERE "SweepId" = NEW."SweepId" AND "SeedGroup" = NEW."SeedGroup" AND "Seed" = NEW."Seed" AND "Key" <> NEW."Key"));
            """, Refresh("NEW"));

        // A cell gone: one fewer; the row goes with the group's last cell; the configuration of the next first cell if
        // this was the first. Recomputed if the cell was succeeded and the group has moments: its metrics may have been
        // among them (deleted before it, or by the cascade, which no longer sees a succeeded cell).
        Pair(migrationBuilder, "seed_group_trial_delete", "AFTER DELETE ON trials", null,
            $"OLD.\"Status\" = {Succeeded} AND coalesce((SELECT \"Moments\" FROM seed_group_stats WHERE {Group("OLD")}), {NoMoments}) <> {NoMoments}", $"""
            UPDATE seed_group_stats SET "Planned" = "Planned" - 1, "Finished" = "Finished" - (OLD."Status" = {Succeeded})
            WHERE {Group("OLD")};
            DELETE FROM seed_group_stats WHERE {Group("OLD")} AND "Planned" <= 0;
            UPDATE seed_group_stats SET ({identity}, "Family") = (SELECT {identity}, {Family("f")} FROM {First("OLD")} AS f)
            WHERE {Group("OLD")} AND "Seed" = OLD."Seed";
            """, Refresh("OLD"));

        // A cell that moved to another group or changed its configuration: both groups recomputed (no store path does it).
        migrationBuilder.Sql($"""
            CREATE TRIGGER seed_group_trial_update AFTER UPDATE OF "SweepId", "SeedGroup", {identity} ON trials
            WHEN {keyChanged}
            BEGIN
            {Refresh("NEW")}
            {Refresh("OLD")}
            END
            """);

        // A status change counts only to or from Succeeded (a claim, a start, a failure, a cancel fire nothing): one more or
        // fewer finished; recomputed if the cell has metrics (their values join or leave the moments).
        Pair(migrationBuilder, "seed_group_trial_finished", "AFTER UPDATE OF \"Status\" ON trials",
            $"(OLD.\"Status\" = {Succeeded}) IS NOT (NEW.\"Status\" = {Succeeded}) AND NOT ({keyChanged})", HasMetrics("NEW"), $"""
            UPDATE seed_group_stats SET "Finished" = "Finished" + CASE WHEN NEW."Status" = {Succeeded} THEN 1 ELSE -1 END
            WHERE {Group("NEW")};
            """, Refresh("NEW"));

        // A metric of a succeeded cell: that metric's entry recomputed (the store writes metrics after the status, so this
        // is how a completion's values arrive). Two passes over the group's values of the one metric, as the whole-row
        // recomputation does them: Welford's one-step update would be O(1) but drifts from the two passes by 1e-8 of the
        // squared deviations where values sit close together far from zero (mae 1e4 + 1e-3 x U). A changed or deleted
        // value recomputes the group. No alias
        // on the updated table: SQLite before 3.42 (Debian's, Python's) rejects one in a trigger and then reads no schema.
        migrationBuilder.Sql($"""
            CREATE TRIGGER seed_group_metric_insert AFTER INSERT ON test_metrics
            WHEN {CellSucceeded("NEW")}
            BEGIN
            UPDATE seed_group_stats SET "Moments" = {Folded("seed_group_stats", "NEW")}
            WHERE "SweepId" = NEW."SweepId" AND "SeedGroup" = {CellGroup("NEW")};
            END
            """);
        foreach (var (name, when, rows) in new[] { ("seed_group_metric_delete", "AFTER DELETE", new[] { "OLD" }), ("seed_group_metric_update", "AFTER UPDATE", ["OLD", "NEW"]) })
        {
            var succeeded = string.Join(" OR ", rows.Select(CellSucceeded));
            migrationBuilder.Sql($"""
                CREATE TRIGGER {name} {when} ON test_metrics
                WHEN {succeeded}
                BEGIN
                {string.Join("\n", rows.Select(r => Refresh(r, sweep: $"{r}.\"SweepId\"", group: CellGroup(r))))}
                END
                """);
        }
    }

    // The seed_group_stats row of a trial row (NEW or OLD).
    private static string Group(string row) => $"\"SweepId\" = {row}.\"SweepId\" AND \"SeedGroup\" = {row}.\"SeedGroup\"";

    private static string Values(string row) => string.Join(", ", Identity.Select(c => $"{row}.\"{c}\""));

    // The family as the leaderboard's key reads it from a trial: JSON text, '' when absent.
    private static string Family(string row) => $"coalesce({row}.\"ResolvedConfig\" -> '$.BackboneFamily', '')";

    // The group's first cell (lowest seed, then key).
    private static string First(string row) =>
        $"(SELECT * FROM trials WHERE {Group(row)} ORDER BY \"Seed\", \"Key\" LIMIT 1)";

    private static string HasMetrics(string row) =>
        $"EXISTS (SELECT 1 FROM test_metrics WHERE \"SweepId\" = {row}.\"SweepId\" AND \"TrialKey\" = {row}.\"Key\")";

    private static string CellSucceeded(string metric) =>
        $"EXISTS (SELECT 1 FROM trials WHERE \"SweepId\" = {metric}.\"SweepId\" AND \"Key\" = {metric}.\"TrialKey\" AND \"Status\" = {Succeeded})";

    private static string CellGroup(string metric) =>
        $"(SELECT \"SeedGroup\" FROM trials WHERE \"SweepId\" = {metric}.\"SweepId\" AND \"Key\" = {metric}.\"TrialKey\")";

    // The row's moments with the metric's entry recomputed from the group's succeeded cells (two passes over that
    // metric's values alone, the other entries kept): count, mean and squared deviations of the finite values.
    private static string Folded(string stats, string metric) => $"""
        (SELECT json_group_object(e.key, json(e.value)) FROM (
            SELECT key, value FROM json_each({stats}."Moments") WHERE key IS NOT {metric}."Name"
            UNION ALL
            SELECT {metric}."Name", (SELECT json_array(count(v), min(mean), sum((v - mean) * (v - mean)))
                FROM (SELECT v, avg(v) OVER () AS mean
                      FROM (SELECT CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                            FROM trials AS t CROSS JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = {metric}."Name"
                            WHERE t."SweepId" = {stats}."SweepId" AND t."SeedGroup" = {stats}."SeedGroup" AND t."Status" = {Succeeded})))
            ORDER BY 1) AS e)
        """;

    // The group's row recomputed from its cells (an upsert: the incremental triggers keep the row), and gone when the
    // group has no cell left.
    private static string Refresh(string row, string? sweep = null, string? group = null)
    {
        sweep ??= $"{row}.\"SweepId\"";
        group ??= $"{row}.\"SeedGroup\"";
        return $"""
            INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig", "Family", "Moments")
            SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig", {Family("f")},
                {Moments("f.\"SweepId\"", "f.\"SeedGroup\"")}
            FROM (SELECT count(*) AS planned, sum(CASE WHEN "Status" = {Succeeded} THEN 1 ELSE 0 END) AS finished
                  FROM trials WHERE "SweepId" = {sweep} AND "SeedGroup" = {group}) AS c
            CROSS JOIN (SELECT * FROM trials WHERE "SweepId" = {sweep} AND "SeedGroup" = {group} ORDER BY "Seed", "Key" LIMIT 1) AS f
            WHERE true
            ON CONFLICT ("SweepId", "SeedGroup") DO UPDATE SET "Planned" = excluded."Planned", "Finished" = excluded."Finished", "Seed" = excluded."Seed",
                "Backbone" = excluded."Backbone", "Dataset" = excluded."Dataset", "LearningRate" = excluded."LearningRate",
                "ResolvedConfig" = excluded."ResolvedConfig", "Family" = excluded."Family", "Moments" = excluded."Moments";
            DELETE FROM seed_group_stats WHERE "SweepId" = {sweep} AND "SeedGroup" = {group}
                AND NOT EXISTS (SELECT 1 FROM trials WHERE "SweepId" = {sweep} AND "SeedGroup" = {group});
            """;
    }

    // Two triggers on one event, split by `measured` in their WHEN (evaluated once per row; in a statement, SQLite would
    // evaluate a condition with a subquery per row it scans): `name` changes the row by the write's increment,
    // `name`_measured recomputes it. Exactly one of them fires, so their order does not matter.
    private static void Pair(MigrationBuilder migrationBuilder, string name, string on, string? when, string measured, string incremental, string refresh)
    {
        var also = when is null ? "" : $"({when}) AND ";
        migrationBuilder.Sql($"""
            CREATE TRIGGER {name} {on}
            WHEN {also}NOT ({measured})
            BEGIN
            {incremental}
            END
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER {name}_measured {on}
            WHEN {also}({measured})
            BEGIN
            {refresh}
            END
            """);
    }

    // The group's moments as JSON from its succeeded cells: per metric, count, mean and squared deviations of the
    // finite values, the mean first (two passes). '{}' when there is no metric. The cells are the join's outer loop.
    private static string Moments(string sweep, string group) => $"""
        (SELECT json_group_object(d.name, json_array(d.n, d.mean, d.m2))
         FROM (SELECT name, count(v) AS n, min(mean) AS mean, sum((v - mean) * (v - mean)) AS m2
               FROM (SELECT name, v, avg(v) OVER (PARTITION BY name) AS mean
                     FROM (SELECT m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                           FROM trials AS t CROSS JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key"
                           WHERE t."SweepId" = {sweep} AND t."SeedGroup" = {group} AND t."Status" = {Succeeded}))
               GROUP BY name ORDER BY name) AS d)
        """;
}
