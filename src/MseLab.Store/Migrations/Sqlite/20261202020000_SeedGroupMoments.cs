using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <summary>
    /// Per-seed-group moments kept by the database: <c>seed_group_stats</c> (planned and succeeded cells, the lowest-seed
    /// cell's configuration) and <c>seed_group_metrics</c> (n, mean and sum of squared deviations of each test metric's finite
    /// values over the succeeded cells), recomputed from the group's cells by triggers on <c>trials</c> and
    /// <c>test_metrics</c>, so every write path (EF, raw SQL, the bulk insert) keeps them right. A leaderboard whose filter and
    /// grouping are constant within a seed group reads these rows (one per group) instead of every metric row.
    /// </summary>
    /// <remarks>
    /// A migration is history: the SQL is this one's own copy. The triggers recompute, never add or subtract, so no
    /// rounding accumulates, and the squared deviations are two passes within the group (its mean first). They do not fire
    /// on heartbeats or progress: a trial's UPDATE fires only when its status or a configuration column changes. A metric
    /// row of a cell that has not succeeded changes nothing and fires nothing (its status change recomputes the group).
    /// SQLite allows no WITH in a trigger: the statements use subqueries.
    /// </remarks>
    public partial class SeedGroupMoments : Migration
    {
        // Finite doubles are exactly those between -max and max (NULL, which is how NaN is stored, and the infinities fail).
        private const string Finite = "BETWEEN -1.7976931348623157E308 AND 1.7976931348623157E308";

        // The columns a seed group's row depends on: a change of any other (heartbeat, epoch, loss, device) fires nothing.
        private static readonly string[] Watched = ["SweepId", "SeedGroup", "Status", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            CreateMetricsTable(migrationBuilder);

            migrationBuilder.CreateTable(
                name: "seed_group_stats",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SeedGroup = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Planned = table.Column<int>(type: "INTEGER", nullable: false),
                    Finished = table.Column<int>(type: "INTEGER", nullable: false),
                    Seed = table.Column<int>(type: "INTEGER", nullable: false),
                    Backbone = table.Column<string>(type: "TEXT", nullable: false),
                    Dataset = table.Column<string>(type: "TEXT", nullable: false),
                    LearningRate = table.Column<double>(type: "REAL", nullable: false),
                    ResolvedConfig = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seed_group_stats", x => new { x.SweepId, x.SeedGroup });
                });

            migrationBuilder.CreateIndex(
                name: "IX_trials_SweepId_SeedGroup",
                table: "trials",
                columns: new[] { "SweepId", "SeedGroup" });

            CreateTriggers(migrationBuilder);

            // Existing stores: every group once, as the triggers would have written it.
            migrationBuilder.Sql($"""
                INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig")
                SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig"
                FROM (SELECT "SweepId", "SeedGroup", count(*) AS planned, sum(CASE WHEN "Status" = 'Succeeded' THEN 1 ELSE 0 END) AS finished
                      FROM trials GROUP BY "SweepId", "SeedGroup") AS c
                JOIN (SELECT *, row_number() OVER (PARTITION BY "SweepId", "SeedGroup" ORDER BY "Seed", "Key") AS r FROM trials) AS f
                    ON f."SweepId" = c."SweepId" AND f."SeedGroup" = c."SeedGroup" AND f.r = 1
                """);
            BackfillMetrics(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropTriggers(migrationBuilder);
            migrationBuilder.DropTable(name: "seed_group_metrics");
            migrationBuilder.DropTable(name: "seed_group_stats");
            migrationBuilder.DropIndex(name: "IX_trials_SweepId_SeedGroup", table: "trials");
        }

        /// <summary>Drops what <see cref="CreateTriggers"/> creates (also for a later migration's Up, which replaces them).</summary>
        internal static void DropTriggers(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in (string[])["seed_group_trial_insert", "seed_group_trial_delete", "seed_group_trial_update",
                         "seed_group_metric_insert", "seed_group_metric_delete", "seed_group_metric_update"])
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger}");
            }
        }

        /// <summary>The <c>seed_group_metrics</c> table (also for a later migration's Down, which brings it back).</summary>
        internal static void CreateMetricsTable(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "seed_group_metrics",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SeedGroup = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    N = table.Column<int>(type: "INTEGER", nullable: false),
                    Mean = table.Column<double>(type: "REAL", nullable: true),
                    M2 = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seed_group_metrics", x => new { x.SweepId, x.SeedGroup, x.Name });
                });
        }

        /// <summary>This migration's triggers, as it created them (also for a later migration's Down).</summary>
        internal static void CreateTriggers(MigrationBuilder migrationBuilder)
        {
            var changed = string.Join(" OR ", Watched.Select(c => $"OLD.\"{c}\" IS NOT NEW.\"{c}\""));
            var watched = string.Join(", ", Watched.Select(c => $"\"{c}\""));
            migrationBuilder.Sql($"""
                CREATE TRIGGER seed_group_trial_insert AFTER INSERT ON trials
                BEGIN
                {Group("NEW.\"SweepId\"", "NEW.\"SeedGroup\"")}
                END
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER seed_group_trial_delete AFTER DELETE ON trials
                BEGIN
                {Group("OLD.\"SweepId\"", "OLD.\"SeedGroup\"")}
                {Metrics("OLD.\"SweepId\"", "OLD.\"SeedGroup\"", null)}
                END
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER seed_group_trial_update AFTER UPDATE OF {watched} ON trials
                WHEN {changed}
                BEGIN
                {Group("OLD.\"SweepId\"", "OLD.\"SeedGroup\"")}
                {Metrics("OLD.\"SweepId\"", "OLD.\"SeedGroup\"", null)}
                {Group("NEW.\"SweepId\"", "NEW.\"SeedGroup\"")}
                {Metrics("NEW.\"SweepId\"", "NEW.\"SeedGroup\"", null)}
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
                var body = string.Join("\n", rows.Select(r => Metrics(
                    $"{r}.\"SweepId\"", $"(SELECT \"SeedGroup\" FROM trials WHERE \"SweepId\" = {r}.\"SweepId\" AND \"Key\" = {r}.\"TrialKey\")", $"{r}.\"Name\"")));
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {name} {when} ON test_metrics
                    WHEN {succeeded}
                    BEGIN
                    {body}
                    END
                    """);
            }
        }

        /// <summary>Every group's metric rows from the cells, as the triggers would have written them.</summary>
        internal static void BackfillMetrics(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                INSERT INTO seed_group_metrics ("SweepId", "SeedGroup", "Name", "N", "Mean", "M2")
                SELECT d.sweep, d.grp, d.name, count(d.v), min(d.mean), sum((d.v - d.mean) * (d.v - d.mean))
                FROM (SELECT sweep, grp, name, v, avg(v) OVER (PARTITION BY sweep, grp, name) AS mean
                      FROM (SELECT t."SweepId" AS sweep, t."SeedGroup" AS grp, m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                            FROM trials AS t JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key"
                            WHERE t."Status" = 'Succeeded') AS c) AS d
                GROUP BY d.sweep, d.grp, d.name
                """);
        }

        // The group's row from its cells; none when it has no cell left.
        private static string Group(string sweep, string group) => $"""
            DELETE FROM seed_group_stats WHERE "SweepId" = {sweep} AND "SeedGroup" = {group};
            INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig")
            SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig"
            FROM (SELECT count(*) AS planned, sum(CASE WHEN "Status" = 'Succeeded' THEN 1 ELSE 0 END) AS finished
                  FROM trials WHERE "SweepId" = {sweep} AND "SeedGroup" = {group}) AS c
            CROSS JOIN (SELECT * FROM trials WHERE "SweepId" = {sweep} AND "SeedGroup" = {group} ORDER BY "Seed", "Key" LIMIT 1) AS f;
            """;

        // The group's metric rows (one metric's when name is given) from its succeeded cells: two passes, the mean first.
        private static string Metrics(string sweep, string group, string name)
        {
            var only = name is null ? "" : $" AND \"Name\" = {name}";
            var onlyCells = name is null ? "" : $" AND m.\"Name\" = {name}";
            return $"""
                DELETE FROM seed_group_metrics WHERE "SweepId" = {sweep} AND "SeedGroup" = {group}{only};
                INSERT INTO seed_group_metrics ("SweepId", "SeedGroup", "Name", "N", "Mean", "M2")
                SELECT d.sweep, d.grp, d.name, count(d.v), min(d.mean), sum((d.v - d.mean) * (d.v - d.mean))
                FROM (SELECT sweep, grp, name, v, avg(v) OVER (PARTITION BY name) AS mean
                      FROM (SELECT t."SweepId" AS sweep, t."SeedGroup" AS grp, m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                            FROM trials AS t JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key"
                            WHERE t."SweepId" = {sweep} AND t."SeedGroup" = {group} AND t."Status" = 'Succeeded'{onlyCells}) AS c) AS d
                GROUP BY d.name;
                """;
        }
    }
}
