using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Postgres
{
    /// <summary>
    /// Packs a seed group's metric moments into its <c>seed_group_stats</c> row: <c>Moments</c> is one JSON object
    /// <c>{"mae": [n, mean, m2], ...}</c>, and <c>seed_group_metrics</c> (a row per group and metric) is gone; <c>Family</c>
    /// keeps the configuration's backbone family (as JSON text), which every default leaderboard groups by. A leaderboard
    /// of every seed group then reads one row per group, not seven; at 20,000 groups that row count was what kept it over
    /// its 200 ms. One function, <c>seed_group_refresh</c>, recomputes a group's whole row (cells and moments).
    /// </summary>
    /// <remarks>
    /// A migration is history: the SQL is this one's own copy. The moments are two passes within the group, as before;
    /// the function writes doubles with <c>extra_float_digits = 3</c> (the shortest text that reads back as the same
    /// double, whatever the session's setting). Locking, the statement-level triggers with transition tables and the
    /// watched columns are those of <c>SeedGroupMoments</c>.
    /// </remarks>
    public partial class SeedGroupPackedMoments : Migration
    {
        // Finite doubles are exactly those between -max and max (NULL, NaN, which Postgres orders above every number, and the infinities fail).
        private const string Finite = "BETWEEN -1.7976931348623157E308 AND 1.7976931348623157E308";

        // The columns a seed group's row depends on: a change of any other (heartbeat, epoch, loss, device) fires nothing.
        private static readonly string[] Watched = ["SweepId", "SeedGroup", "Status", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig"];

        private static readonly (string Trigger, string Table, string Function)[] Triggers =
        [
            ("seed_group_trials_inserted", "trials", "seed_group_trials_changed_new"), ("seed_group_trials_deleted", "trials", "seed_group_trials_changed_old"),
            ("seed_group_trial_updated", "trials", "seed_group_trial_updated"), ("seed_group_metrics_inserted", "test_metrics", "seed_group_metrics_changed_new"),
            ("seed_group_metrics_deleted", "test_metrics", "seed_group_metrics_changed_old"), ("seed_group_metrics_updated", "test_metrics", "seed_group_metrics_changed_both"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SeedGroupMoments.DropTriggers(migrationBuilder);
            migrationBuilder.DropTable(name: "seed_group_metrics");
            migrationBuilder.AddColumn<string>(name: "Family", table: "seed_group_stats", type: "text", nullable: false, defaultValue: "");
            migrationBuilder.AddColumn<string>(name: "Moments", table: "seed_group_stats", type: "text", nullable: false, defaultValue: "{}");

            // One group at a time, by equality on the keys, so every statement is an index lookup; planned afresh on each
            // call (force_custom_plan): a plan cached while the tables were empty would scan them ever after.
            migrationBuilder.Sql($"""
                CREATE FUNCTION seed_group_refresh(p_sweeps text[], p_groups text[]) RETURNS void LANGUAGE plpgsql
                SET plan_cache_mode = force_custom_plan SET extra_float_digits = 3 AS $$
                DECLARE
                    k record;
                BEGIN
                    PERFORM seed_group_lock(p_sweeps, p_groups);
                    FOR k IN SELECT DISTINCT s, g FROM unnest(p_sweeps, p_groups) AS u(s, g) LOOP
                        DELETE FROM seed_group_stats WHERE "SweepId" = k.s AND "SeedGroup" = k.g;
                        INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig", "Family", "Moments")
                        SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig", {Family("f")},
                            {Moments("k.s", "k.g")}
                        FROM (SELECT count(*) AS planned, count(*) FILTER (WHERE "Status" = 'Succeeded') AS finished
                              FROM trials WHERE "SweepId" = k.s AND "SeedGroup" = k.g) AS c
                        CROSS JOIN (SELECT * FROM trials WHERE "SweepId" = k.s AND "SeedGroup" = k.g ORDER BY "Seed", "Key" LIMIT 1) AS f;
                    END LOOP;
                END
                $$
                """);

            // Inserts and deletes fire once per statement with their rows as transition tables; a status or configuration
            // change fires per row, only when a watched column changed. Only a metric of a succeeded cell counts.
            foreach (var (function, rows) in new[] { ("seed_group_trials_changed_new", "new_rows"), ("seed_group_trials_changed_old", "old_rows") })
            {
                migrationBuilder.Sql(Statement(function, $"""SELECT DISTINCT "SweepId" AS s, "SeedGroup" AS g FROM {rows}"""));
            }

            foreach (var (function, rows) in new[]
                     {
                         ("seed_group_metrics_changed_new", "new_rows"), ("seed_group_metrics_changed_old", "old_rows"),
                         ("seed_group_metrics_changed_both", "old_rows UNION ALL SELECT * FROM new_rows"),
                     })
            {
                migrationBuilder.Sql(Statement(function, $"""
                    SELECT DISTINCT t."SweepId" AS s, t."SeedGroup" AS g
                    FROM (SELECT * FROM {rows}) AS r JOIN trials AS t ON t."SweepId" = r."SweepId" AND t."Key" = r."TrialKey"
                    WHERE t."Status" = 'Succeeded'
                    """));
            }

            CreateTrialUpdated(migrationBuilder, replace: false);
            migrationBuilder.Sql("CREATE TRIGGER seed_group_trials_inserted AFTER INSERT ON trials REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_trials_changed_new()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_trials_deleted AFTER DELETE ON trials REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_trials_changed_old()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_metrics_inserted AFTER INSERT ON test_metrics REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_metrics_changed_new()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_metrics_deleted AFTER DELETE ON test_metrics REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_metrics_changed_old()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_metrics_updated AFTER UPDATE ON test_metrics REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_metrics_changed_both()");

            // Existing stores: every group's moments once, as the function would have written them.
            migrationBuilder.Sql("SET LOCAL extra_float_digits = 3");
            migrationBuilder.Sql($"""UPDATE seed_group_stats AS s SET "Family" = {Family("s")}, "Moments" = {Moments("s.\"SweepId\"", "s.\"SeedGroup\"")}""");
        }

        // The row trigger on a trial's status or configuration, with its function: a change of any watched column
        // recomputes the group (also what the Down of SeedGroupStatsIncremental restores, replacing the function).
        internal static void CreateTrialUpdated(MigrationBuilder migrationBuilder, bool replace)
        {
            migrationBuilder.Sql($"""
                CREATE {(replace ? "OR REPLACE " : "")}FUNCTION seed_group_trial_updated() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM seed_group_refresh(ARRAY[OLD."SweepId", NEW."SweepId"], ARRAY[OLD."SeedGroup", NEW."SeedGroup"]);
                    RETURN NULL;
                END
                $$
                """);

            var changed = string.Join(" OR ", Watched.Select(c => $"OLD.\"{c}\" IS DISTINCT FROM NEW.\"{c}\""));
            var watched = string.Join(", ", Watched.Select(c => $"\"{c}\""));
            migrationBuilder.Sql($"CREATE TRIGGER seed_group_trial_updated AFTER UPDATE OF {watched} ON trials FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION seed_group_trial_updated()");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (trigger, table, _) in Triggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger} ON {table}");
            }

            foreach (var function in Triggers.Select(t => t.Function + "()").Distinct().Append("seed_group_refresh(text[], text[])"))
            {
                migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {function}");
            }

            migrationBuilder.DropColumn(name: "Moments", table: "seed_group_stats");
            migrationBuilder.DropColumn(name: "Family", table: "seed_group_stats");
            SeedGroupMoments.CreateMetricsTable(migrationBuilder);
            SeedGroupMoments.CreateTriggers(migrationBuilder);
            SeedGroupMoments.BackfillMetrics(migrationBuilder);
        }

        // A statement trigger's function: refreshes the groups that `groups` (a query over the transition tables) names.
        private static string Statement(string function, string groups) => $"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
            DECLARE
                sweeps text[];
                groups text[];
            BEGIN
                SELECT array_agg(s), array_agg(g) INTO sweeps, groups FROM ({groups}) AS k;
                IF sweeps IS NOT NULL THEN
                    PERFORM seed_group_refresh(sweeps, groups);
                END IF;
                RETURN NULL;
            END
            $$
            """;

        // The family as the leaderboard's key reads it from a trial: JSON text, '' when absent.
        private static string Family(string row) => $"coalesce((({row}.\"ResolvedConfig\")::json -> 'BackboneFamily')::text, '')";

        // The group's moments as JSON text from its succeeded cells: per metric, count, mean and squared deviations of the
        // finite values, the mean first (two passes). '{}' when there is no metric.
        private static string Moments(string sweep, string group) => "coalesce(" + $"""
            (SELECT json_object_agg(d.name, json_build_array(d.n, d.mean, d.m2) ORDER BY d.name)::text
             FROM (SELECT name, count(v) AS n, min(mean) AS mean, sum((v - mean) * (v - mean)) AS m2
                   FROM (SELECT name, v, avg(v) OVER (PARTITION BY name) AS mean
                         FROM (SELECT m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                               FROM trials AS t JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key"
                               WHERE t."SweepId" = {sweep} AND t."SeedGroup" = {group} AND t."Status" = 'Succeeded') AS c) AS w
                   GROUP BY name) AS d)
            """ + ", '{}')";
    }
}
