using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Postgres
{
    /// <summary>
    /// Per-seed-group moments kept by the database: <c>seed_group_stats</c> (planned and succeeded cells, the lowest-seed
    /// cell's configuration) and <c>seed_group_metrics</c> (n, mean and sum of squared deviations of each test metric's finite
    /// values over the succeeded cells), recomputed from the group's cells by triggers on <c>trials</c> and
    /// <c>test_metrics</c>, so every write path (EF, raw SQL, the bulk insert's COPY) keeps them right. A leaderboard whose
    /// filter and grouping are constant within a seed group reads these rows (one per group) instead of every metric row.
    /// </summary>
    /// <remarks>
    /// A migration is history: the SQL is this one's own copy. The triggers recompute, never add or subtract, so no
    /// rounding accumulates, and the squared deviations are two passes within the group (its mean first). They do not fire
    /// on heartbeats or progress: a trial's UPDATE fires (per row) only when its status or a configuration column changes.
    /// Inserts and deletes fire once per statement with their rows as transition tables, so a bulk insert of thousands of
    /// rows recomputes each touched group once per statement, set-based. Two workers completing seeds of one group at once
    /// would each recompute from a snapshot without the other's cell; a transaction-scoped advisory lock per group makes
    /// the second wait for the first to commit, and (READ COMMITTED) its next statements see it.
    /// </remarks>
    public partial class SeedGroupMoments : Migration
    {
        // Finite doubles are exactly those between -max and max (NULL, NaN, which Postgres orders above every number, and the infinities fail).
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
                    SweepId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SeedGroup = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Planned = table.Column<int>(type: "integer", nullable: false),
                    Finished = table.Column<int>(type: "integer", nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    Backbone = table.Column<string>(type: "text", nullable: false),
                    Dataset = table.Column<string>(type: "text", nullable: false),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false),
                    ResolvedConfig = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seed_group_stats", x => new { x.SweepId, x.SeedGroup });
                });

            migrationBuilder.CreateIndex(
                name: "IX_trials_SweepId_SeedGroup",
                table: "trials",
                columns: new[] { "SweepId", "SeedGroup" });

            // The set of groups to recompute is two aligned arrays (sweep, seed group). Locks in one order (of their hashes),
            // so that two transactions that touch several groups cannot deadlock on them.
            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_lock(p_sweeps text[], p_groups text[]) RETURNS void LANGUAGE sql AS $$
                    SELECT count(pg_advisory_xact_lock(h)) FROM (
                        SELECT DISTINCT hashtextextended(s || '/' || g, 0) AS h FROM unnest(p_sweeps, p_groups) AS k(s, g) ORDER BY 1) AS l
                $$
                """);
            CreateTriggers(migrationBuilder);

            // Existing stores: every group once, as the triggers would have written it.
            migrationBuilder.Sql("""
                INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig")
                SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig"
                FROM (SELECT "SweepId", "SeedGroup", count(*) AS planned, count(*) FILTER (WHERE "Status" = 'Succeeded') AS finished
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
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS seed_group_lock(text[], text[])");
            migrationBuilder.DropTable(name: "seed_group_metrics");
            migrationBuilder.DropTable(name: "seed_group_stats");
            migrationBuilder.DropIndex(name: "IX_trials_SweepId_SeedGroup", table: "trials");
        }

        /// <summary>Drops what <see cref="CreateTriggers"/> creates (also for a later migration's Up, which replaces them).</summary>
        internal static void DropTriggers(MigrationBuilder migrationBuilder)
        {
            foreach (var (trigger, table) in new[]
                     {
                         ("seed_group_trials_inserted", "trials"), ("seed_group_trials_deleted", "trials"), ("seed_group_trial_updated", "trials"),
                         ("seed_group_metrics_inserted", "test_metrics"), ("seed_group_metrics_deleted", "test_metrics"), ("seed_group_metrics_updated", "test_metrics"),
                     })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger} ON {table}");
            }

            foreach (var function in (string[])["seed_group_metrics_inserted()", "seed_group_metrics_deleted()", "seed_group_metrics_updated()", "seed_group_trials_inserted()",
                         "seed_group_trials_deleted()", "seed_group_trial_updated()", "seed_group_refresh_metrics(text[], text[])", "seed_group_refresh_cells(text[], text[])"])
            {
                migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {function}");
            }
        }

        /// <summary>The <c>seed_group_metrics</c> table (also for a later migration's Down, which brings it back).</summary>
        internal static void CreateMetricsTable(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "seed_group_metrics",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SeedGroup = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    N = table.Column<int>(type: "integer", nullable: false),
                    Mean = table.Column<double>(type: "double precision", nullable: true),
                    M2 = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seed_group_metrics", x => new { x.SweepId, x.SeedGroup, x.Name });
                });
        }

        /// <summary>This migration's triggers and functions (all but the lock), as it created them (also for a later migration's Down).</summary>
        internal static void CreateTriggers(MigrationBuilder migrationBuilder)
        {
            // One group at a time, by equality on the keys, so every statement is an index lookup; planned afresh on each call
            // (force_custom_plan): a plan cached while the tables were empty would scan them ever after, which made a bulk
            // insert quadratic.
            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_refresh_cells(p_sweeps text[], p_groups text[]) RETURNS void LANGUAGE plpgsql
                SET plan_cache_mode = force_custom_plan AS $$
                DECLARE
                    k record;
                BEGIN
                    PERFORM seed_group_lock(p_sweeps, p_groups);
                    FOR k IN SELECT DISTINCT s, g FROM unnest(p_sweeps, p_groups) AS u(s, g) LOOP
                        DELETE FROM seed_group_stats WHERE "SweepId" = k.s AND "SeedGroup" = k.g;
                        INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig")
                        SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig"
                        FROM (SELECT count(*) AS planned, count(*) FILTER (WHERE "Status" = 'Succeeded') AS finished
                              FROM trials WHERE "SweepId" = k.s AND "SeedGroup" = k.g) AS c
                        CROSS JOIN (SELECT * FROM trials WHERE "SweepId" = k.s AND "SeedGroup" = k.g ORDER BY "Seed", "Key" LIMIT 1) AS f;
                    END LOOP;
                END
                $$
                """);
            migrationBuilder.Sql($"""
                CREATE FUNCTION seed_group_refresh_metrics(p_sweeps text[], p_groups text[]) RETURNS void LANGUAGE plpgsql
                SET plan_cache_mode = force_custom_plan AS $$
                DECLARE
                    k record;
                BEGIN
                    PERFORM seed_group_lock(p_sweeps, p_groups);
                    FOR k IN SELECT DISTINCT s, g FROM unnest(p_sweeps, p_groups) AS u(s, g) LOOP
                        DELETE FROM seed_group_metrics WHERE "SweepId" = k.s AND "SeedGroup" = k.g;
                        INSERT INTO seed_group_metrics ("SweepId", "SeedGroup", "Name", "N", "Mean", "M2")
                        SELECT k.s, k.g, d.name, count(d.v), min(d.mean), sum((d.v - d.mean) * (d.v - d.mean))
                        FROM (SELECT name, v, avg(v) OVER (PARTITION BY name) AS mean
                              FROM (SELECT m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                                    FROM trials AS t JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key"
                                    WHERE t."SweepId" = k.s AND t."SeedGroup" = k.g AND t."Status" = 'Succeeded') AS c) AS d
                        GROUP BY d.name;
                    END LOOP;
                END
                $$
                """);
            // Inserts and deletes (the bulk insert, a sweep's deletion) fire once per statement, with the rows as transition
            // tables; a status or configuration change fires per row, only when a watched column changed (not on heartbeats:
            // a statement trigger cannot name columns).
            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_trials_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    sweeps text[];
                    groups text[];
                BEGIN
                    -- New cells have no metric yet (they reference them).
                    SELECT array_agg(s), array_agg(g) INTO sweeps, groups FROM (SELECT DISTINCT "SweepId" AS s, "SeedGroup" AS g FROM new_rows) AS k;
                    IF sweeps IS NOT NULL THEN
                        PERFORM seed_group_refresh_cells(sweeps, groups);
                    END IF;
                    RETURN NULL;
                END
                $$
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_trials_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    sweeps text[];
                    groups text[];
                BEGIN
                    SELECT array_agg(s), array_agg(g) INTO sweeps, groups FROM (SELECT DISTINCT "SweepId" AS s, "SeedGroup" AS g FROM old_rows) AS k;
                    IF sweeps IS NOT NULL THEN
                        PERFORM seed_group_refresh_cells(sweeps, groups);
                        PERFORM seed_group_refresh_metrics(sweeps, groups);
                    END IF;
                    RETURN NULL;
                END
                $$
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_trial_updated() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    sweeps text[] := ARRAY[OLD."SweepId", NEW."SweepId"];
                    groups text[] := ARRAY[OLD."SeedGroup", NEW."SeedGroup"];
                BEGIN
                    PERFORM seed_group_refresh_cells(sweeps, groups);
                    PERFORM seed_group_refresh_metrics(sweeps, groups);
                    RETURN NULL;
                END
                $$
                """);
            // Only a metric of a succeeded cell counts; the group is found through the cell.
            foreach (var (function, rows) in new[] { ("seed_group_metrics_inserted", "new_rows"), ("seed_group_metrics_deleted", "old_rows"), ("seed_group_metrics_updated", "old_rows UNION ALL SELECT * FROM new_rows") })
            {
                migrationBuilder.Sql($"""
                    CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
                    DECLARE
                        sweeps text[];
                        groups text[];
                    BEGIN
                        SELECT array_agg(s), array_agg(g) INTO sweeps, groups FROM (
                            SELECT DISTINCT t."SweepId" AS s, t."SeedGroup" AS g
                            FROM (SELECT * FROM {rows}) AS r JOIN trials AS t ON t."SweepId" = r."SweepId" AND t."Key" = r."TrialKey"
                            WHERE t."Status" = 'Succeeded') AS k;
                        IF sweeps IS NOT NULL THEN
                            PERFORM seed_group_refresh_metrics(sweeps, groups);
                        END IF;
                        RETURN NULL;
                    END
                    $$
                    """);
            }

            var changed = string.Join(" OR ", Watched.Select(c => $"OLD.\"{c}\" IS DISTINCT FROM NEW.\"{c}\""));
            var watched = string.Join(", ", Watched.Select(c => $"\"{c}\""));
            migrationBuilder.Sql("CREATE TRIGGER seed_group_trials_inserted AFTER INSERT ON trials REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_trials_inserted()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_trials_deleted AFTER DELETE ON trials REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_trials_deleted()");
            migrationBuilder.Sql($"CREATE TRIGGER seed_group_trial_updated AFTER UPDATE OF {watched} ON trials FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION seed_group_trial_updated()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_metrics_inserted AFTER INSERT ON test_metrics REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_metrics_inserted()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_metrics_deleted AFTER DELETE ON test_metrics REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_metrics_deleted()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_metrics_updated AFTER UPDATE ON test_metrics REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seed_group_metrics_updated()");
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
    }
}
