using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <summary>
    /// Packs a seed group's metric moments into its <c>seed_group_stats</c> row: <c>Moments</c> is one JSON object
    /// <c>{"mae": [n, mean, m2], ...}</c>, and <c>seed_group_metrics</c> (a row per group and metric) is gone; <c>Family</c>
    /// keeps the configuration's backbone family (as JSON text), which every default leaderboard groups by. A leaderboard
    /// of every seed group then reads one row per group, not seven; at 20,000 groups that row count was what kept it over
    /// its 200 ms. The triggers now recompute a group's whole row (cells and moments) in one statement.
    /// </summary>
    /// <remarks>
    /// A migration is history: the SQL is this one's own copy. The moments are two passes within the group, as before.
    /// SQLite 3.43 and later write a REAL in JSON with 17 significant digits, which reads back as the same double.
    /// The cells are the outer loop of the metric join (CROSS JOIN fixes SQLite's join order): without statistics
    /// (<c>sqlite_stat1</c>, which a store that never ran ANALYZE lacks) SQLite chose the metrics of the whole sweep as
    /// the outer loop, and a trigger on each metric row cost about 1 ms instead of 0.06 ms.
    /// </remarks>
    public partial class SeedGroupPackedMoments : Migration
    {
        // Finite doubles are exactly those between -max and max (NULL, which is how NaN is stored, and the infinities fail).
        private const string Finite = "BETWEEN -1.7976931348623157E308 AND 1.7976931348623157E308";

        // The columns a seed group's row depends on: a change of any other (heartbeat, epoch, loss, device) fires nothing.
        private static readonly string[] Watched = ["SweepId", "SeedGroup", "Status", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig"];

        private static readonly string[] Triggers =
            ["seed_group_trial_insert", "seed_group_trial_delete", "seed_group_trial_update", "seed_group_metric_insert", "seed_group_metric_delete", "seed_group_metric_update"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SeedGroupMoments.DropTriggers(migrationBuilder);
            migrationBuilder.DropTable(name: "seed_group_metrics");
            migrationBuilder.AddColumn<string>(name: "Family", table: "seed_group_stats", type: "TEXT", nullable: false, defaultValue: "");
            migrationBuilder.AddColumn<string>(name: "Moments", table: "seed_group_stats", type: "TEXT", nullable: false, defaultValue: "{}");
            CreateTriggers(migrationBuilder);

            // Existing stores: every group's moments once, as the triggers would have written them.
            migrationBuilder.Sql($"""
                UPDATE seed_group_stats AS s SET "Family" = {Family("s")}, "Moments" = {Moments("s.\"SweepId\"", "s.\"SeedGroup\"")}
                """);
        }

        // This migration's triggers (also what the Down of SeedGroupStatsIncremental restores).
        internal static void CreateTriggers(MigrationBuilder migrationBuilder)
        {
            var changed = string.Join(" OR ", Watched.Select(c => $"OLD.\"{c}\" IS NOT NEW.\"{c}\""));
            var watched = string.Join(", ", Watched.Select(c => $"\"{c}\""));
            migrationBuilder.Sql($"""
                CREATE TRIGGER seed_group_trial_insert AFTER INSERT ON trials
                BEGIN
                {Refresh("NEW.\"SweepId\"", "NEW.\"SeedGroup\"")}
                END
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER seed_group_trial_delete AFTER DELETE ON trials
                BEGIN
                {Refresh("OLD.\"SweepId\"", "OLD.\"SeedGroup\"")}
                END
                """);
            // A cell that moved to another group refreshes both; one that stayed (a status change, the usual case) its own once.
            migrationBuilder.Sql($"""
                CREATE TRIGGER seed_group_trial_update AFTER UPDATE OF {watched} ON trials
                WHEN {changed}
                BEGIN
                {Refresh("NEW.\"SweepId\"", "NEW.\"SeedGroup\"")}
                {Refresh("OLD.\"SweepId\"", "OLD.\"SeedGroup\"", "OLD.\"SweepId\" IS NOT NEW.\"SweepId\" OR OLD.\"SeedGroup\" IS NOT NEW.\"SeedGroup\"")}
                END
                """);
            foreach (var (name, when, rows) in new[]
                     {
                         ("seed_group_metric_insert", "AFTER INSERT", new[] { "NEW" }),
                         ("seed_group_metric_delete", "AFTER DELETE", new[] { "OLD" }),
                         ("seed_group_metric_update", "AFTER UPDATE", new[] { "OLD", "NEW" }),
                     })
            {
                // Only a metric of a succeeded cell counts; the group is found through the cell.
                var succeeded = string.Join(" OR ", rows.Select(r => $"EXISTS (SELECT 1 FROM trials WHERE \"SweepId\" = {r}.\"SweepId\" AND \"Key\" = {r}.\"TrialKey\" AND \"Status\" = 'Succeeded')"));
                var body = string.Join("\n", rows.Select(r => Refresh(
                    $"{r}.\"SweepId\"", $"(SELECT \"SeedGroup\" FROM trials WHERE \"SweepId\" = {r}.\"SweepId\" AND \"Key\" = {r}.\"TrialKey\")")));
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {name} {when} ON test_metrics
                    WHEN {succeeded}
                    BEGIN
                    {body}
                    END
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in Triggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger}");
            }

            // SQLite's own DROP COLUMN: EF's table rebuild would rename a copy while the triggers above name the table.
            migrationBuilder.Sql("ALTER TABLE seed_group_stats DROP COLUMN \"Moments\"");
            migrationBuilder.Sql("ALTER TABLE seed_group_stats DROP COLUMN \"Family\"");
            SeedGroupMoments.CreateMetricsTable(migrationBuilder);
            SeedGroupMoments.CreateTriggers(migrationBuilder);
            SeedGroupMoments.BackfillMetrics(migrationBuilder);
        }

        // The group's row from its cells (none when it has no cell left); only when `when` holds, if given.
        private static string Refresh(string sweep, string group, string when = null)
        {
            var only = when is null ? "" : $" AND ({when})";
            return $"""
                DELETE FROM seed_group_stats WHERE "SweepId" = {sweep} AND "SeedGroup" = {group}{only};
                INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig", "Family", "Moments")
                SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig", {Family("f")},
                    {Moments("f.\"SweepId\"", "f.\"SeedGroup\"")}
                FROM (SELECT count(*) AS planned, sum(CASE WHEN "Status" = 'Succeeded' THEN 1 ELSE 0 END) AS finished
                      FROM trials WHERE "SweepId" = {sweep} AND "SeedGroup" = {group}) AS c
                CROSS JOIN (SELECT * FROM trials WHERE "SweepId" = {sweep} AND "SeedGroup" = {group} ORDER BY "Seed", "Key" LIMIT 1) AS f
                WHERE true{only};
                """;
        }

        // The family as the leaderboard's key reads it from a trial: JSON text, '' when absent.
        private static string Family(string row) => $"coalesce({row}.\"ResolvedConfig\" -> '$.BackboneFamily', '')";

        // The group's moments as JSON from its succeeded cells: per metric, count, mean and squared deviations of the
        // finite values, the mean first (two passes). '{}' when there is no metric.
        private static string Moments(string sweep, string group) => $"""
            (SELECT json_group_object(d.name, json_array(d.n, d.mean, d.m2))
             FROM (SELECT name, count(v) AS n, min(mean) AS mean, sum((v - mean) * (v - mean)) AS m2
                   FROM (SELECT name, v, avg(v) OVER (PARTITION BY name) AS mean
                         FROM (SELECT m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                               FROM trials AS t CROSS JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key"
                               WHERE t."SweepId" = {sweep} AND t."SeedGroup" = {group} AND t."Status" = 'Succeeded'))
                   GROUP BY name ORDER BY name) AS d)
            """;
    }
}
