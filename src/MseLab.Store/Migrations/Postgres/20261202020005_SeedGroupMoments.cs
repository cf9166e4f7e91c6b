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
    /// on heartbeats or progress: a trial's UPDATE fires only when its status or a configuration column changes. Two
    /// workers completing seeds of one group at once would each recompute from a snapshot without the other's cell; a
    /// transaction-scoped advisory lock per group makes the second wait for the first to commit, and (READ COMMITTED)
    /// its next statements see it.
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

            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_refresh_cells(p_sweep text, p_group text) RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtextextended(p_sweep || '/' || p_group, 0));
                    DELETE FROM seed_group_stats WHERE "SweepId" = p_sweep AND "SeedGroup" = p_group;
                    INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig")
                    SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig"
                    FROM (SELECT count(*) AS planned, count(*) FILTER (WHERE "Status" = 'Succeeded') AS finished
                          FROM trials WHERE "SweepId" = p_sweep AND "SeedGroup" = p_group) AS c
                    CROSS JOIN (SELECT * FROM trials WHERE "SweepId" = p_sweep AND "SeedGroup" = p_group ORDER BY "Seed", "Key" LIMIT 1) AS f;
                END
                $$
                """);
            migrationBuilder.Sql($"""
                CREATE FUNCTION seed_group_refresh_metrics(p_sweep text, p_group text, p_metric text) RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtextextended(p_sweep || '/' || p_group, 0));
                    DELETE FROM seed_group_metrics WHERE "SweepId" = p_sweep AND "SeedGroup" = p_group AND (p_metric IS NULL OR "Name" = p_metric);
                    INSERT INTO seed_group_metrics ("SweepId", "SeedGroup", "Name", "N", "Mean", "M2")
                    SELECT p_sweep, p_group, d.name, count(d.v), min(d.mean), sum((d.v - d.mean) * (d.v - d.mean))
                    FROM (SELECT name, v, avg(v) OVER (PARTITION BY name) AS mean
                          FROM (SELECT m."Name" AS name, CASE WHEN m."Value" {Finite} THEN m."Value" END AS v
                                FROM trials AS t JOIN test_metrics AS m ON m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key"
                                WHERE t."SweepId" = p_sweep AND t."SeedGroup" = p_group AND t."Status" = 'Succeeded'
                                    AND (p_metric IS NULL OR m."Name" = p_metric)) AS c) AS d
                    GROUP BY d.name;
                END
                $$
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_trial_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        -- A new cell has no metric yet (they reference it).
                        PERFORM seed_group_refresh_cells(NEW."SweepId", NEW."SeedGroup");
                    ELSE
                        PERFORM seed_group_refresh_cells(OLD."SweepId", OLD."SeedGroup");
                        PERFORM seed_group_refresh_metrics(OLD."SweepId", OLD."SeedGroup", NULL);
                        IF TG_OP = 'UPDATE' THEN
                            IF NEW."SweepId" IS DISTINCT FROM OLD."SweepId" OR NEW."SeedGroup" IS DISTINCT FROM OLD."SeedGroup" THEN
                                PERFORM seed_group_refresh_cells(NEW."SweepId", NEW."SeedGroup");
                                PERFORM seed_group_refresh_metrics(NEW."SweepId", NEW."SeedGroup", NULL);
                            END IF;
                        END IF;
                    END IF;
                    RETURN NULL;
                END
                $$
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION seed_group_metric_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    g text;
                BEGIN
                    -- Only a metric of a succeeded cell counts; the group is found through the cell.
                    IF TG_OP <> 'INSERT' THEN
                        SELECT "SeedGroup" INTO g FROM trials WHERE "SweepId" = OLD."SweepId" AND "Key" = OLD."TrialKey" AND "Status" = 'Succeeded';
                        IF FOUND THEN
                            PERFORM seed_group_refresh_metrics(OLD."SweepId", g, OLD."Name");
                        END IF;
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        SELECT "SeedGroup" INTO g FROM trials WHERE "SweepId" = NEW."SweepId" AND "Key" = NEW."TrialKey" AND "Status" = 'Succeeded';
                        IF FOUND THEN
                            PERFORM seed_group_refresh_metrics(NEW."SweepId", g, NEW."Name");
                        END IF;
                    END IF;
                    RETURN NULL;
                END
                $$
                """);
            var changed = string.Join(" OR ", Watched.Select(c => $"OLD.\"{c}\" IS DISTINCT FROM NEW.\"{c}\""));
            var watched = string.Join(", ", Watched.Select(c => $"\"{c}\""));
            migrationBuilder.Sql("CREATE TRIGGER seed_group_trial_insert AFTER INSERT ON trials FOR EACH ROW EXECUTE FUNCTION seed_group_trial_changed()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_trial_delete AFTER DELETE ON trials FOR EACH ROW EXECUTE FUNCTION seed_group_trial_changed()");
            migrationBuilder.Sql($"CREATE TRIGGER seed_group_trial_update AFTER UPDATE OF {watched} ON trials FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION seed_group_trial_changed()");
            migrationBuilder.Sql("CREATE TRIGGER seed_group_metric_changed AFTER INSERT OR UPDATE OR DELETE ON test_metrics FOR EACH ROW EXECUTE FUNCTION seed_group_metric_changed()");

            // Existing stores: every group once, as the triggers would have written it.
            migrationBuilder.Sql("""
                INSERT INTO seed_group_stats ("SweepId", "SeedGroup", "Planned", "Finished", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig")
                SELECT f."SweepId", f."SeedGroup", c.planned, c.finished, f."Seed", f."Backbone", f."Dataset", f."LearningRate", f."ResolvedConfig"
                FROM (SELECT "SweepId", "SeedGroup", count(*) AS planned, count(*) FILTER (WHERE "Status" = 'Succeeded') AS finished
                      FROM trials GROUP BY "SweepId", "SeedGroup") AS c
                JOIN (SELECT *, row_number() OVER (PARTITION BY "SweepId", "SeedGroup" ORDER BY "Seed", "Key") AS r FROM trials) AS f
                    ON f."SweepId" = c."SweepId" AND f."SeedGroup" = c."SeedGroup" AND f.r = 1
                """);
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS seed_group_metric_changed ON test_metrics");
            foreach (var trigger in (string[])["seed_group_trial_insert", "seed_group_trial_delete", "seed_group_trial_update"])
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger} ON trials");
            }

            foreach (var function in (string[])["seed_group_metric_changed()", "seed_group_trial_changed()", "seed_group_refresh_metrics(text, text, text)", "seed_group_refresh_cells(text, text)"])
            {
                migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {function}");
            }

            migrationBuilder.DropTable(name: "seed_group_metrics");
            migrationBuilder.DropTable(name: "seed_group_stats");
            migrationBuilder.DropIndex(name: "IX_trials_SweepId_SeedGroup", table: "trials");
        }
    }
}
