using Microsoft.EntityFrameworkCore.Migrations;

namespace MseLab.Store.Database;

/// <summary>
/// The Postgres row trigger on a trial's status or configuration that keeps <c>seed_group_stats</c> (migration
/// <c>SeedGroupStatsIncremental</c>). A status change counts only to or from Succeeded: a claim, a start, a failure or a
/// cancel fires nothing, and a success of a cell without metrics adds one to Finished under the group's lock instead of
/// recomputing the group from all its cells. A cell with metrics, or one that moved to another group or changed its
/// configuration, still recomputes (<c>seed_group_refresh</c>). Inserts, deletes and metric writes keep their statement
/// triggers (one recomputation per statement and group).
/// </summary>
/// <remarks>
/// Before, every claim, start and completion recomputed its group: quadratic in the group's size (a sweep of 10,000 seeds
/// of one configuration is one group). The increment takes the same advisory lock as <c>seed_group_refresh</c>
/// (<c>seed_group_lock</c>), so a recomputation in another transaction either counts this cell (it waited for this commit)
/// or ran before it (and this increment applies to its row).
/// </remarks>
public static class SeedGroupStatsPostgres
{
    // The columns that place a cell in its group and give the group's configuration.
    private static readonly string[] Placement = ["SweepId", "SeedGroup", "Seed", "Backbone", "Dataset", "LearningRate", "ResolvedConfig"];

    /// <summary>Drops the trigger <c>seed_group_trial_updated</c> (its function stays, for the caller to replace).</summary>
    public static void DropTrialUpdated(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS seed_group_trial_updated ON trials");
    }

    /// <summary>Replaces the function <c>seed_group_trial_updated</c> and creates its trigger with the narrower WHEN.</summary>
    public static void CreateTrialUpdated(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var moved = string.Join(" OR ", Placement.Select(c => $"OLD.\"{c}\" IS DISTINCT FROM NEW.\"{c}\""));
        migrationBuilder.Sql($"""
            CREATE OR REPLACE FUNCTION seed_group_trial_updated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {moved} OR EXISTS (SELECT 1 FROM test_metrics WHERE "SweepId" = NEW."SweepId" AND "TrialKey" = NEW."Key") THEN
                    PERFORM seed_group_refresh(ARRAY[OLD."SweepId", NEW."SweepId"], ARRAY[OLD."SeedGroup", NEW."SeedGroup"]);
                ELSE
                    PERFORM seed_group_lock(ARRAY[NEW."SweepId"], ARRAY[NEW."SeedGroup"]);
                    UPDATE seed_group_stats SET "Finished" = "Finished" + CASE WHEN NEW."Status" = 'Succeeded' THEN 1 ELSE -1 END
                    WHERE "SweepId" = NEW."SweepId" AND "SeedGroup" = NEW."SeedGroup";
                END IF;
                RETURN NULL;
            END
            $$
            """);
        var watched = string.Join(", ", Placement.Append("Status").Select(c => $"\"{c}\""));
        migrationBuilder.Sql($"""
            CREATE TRIGGER seed_group_trial_updated AFTER UPDATE OF {watched} ON trials FOR EACH ROW
            WHEN ({moved} OR (OLD."Status" = 'Succeeded') IS DISTINCT FROM (NEW."Status" = 'Succeeded'))
            EXECUTE FUNCTION seed_group_trial_updated()
            """);
    }
}
