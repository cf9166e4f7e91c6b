using Microsoft.EntityFrameworkCore.Migrations;
using MseLab.Store.Database;

#nullable disable

namespace MseLab.Store.Migrations.Postgres
{
    /// <summary>
    /// A trial's status change recomputes its seed group only to or from Succeeded, and without metrics adds or takes
    /// one from Finished (see <see cref="SeedGroupStatsPostgres"/>); the rows themselves are unchanged, so nothing is
    /// backfilled.
    /// </summary>
    public partial class SeedGroupStatsIncremental : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SeedGroupStatsPostgres.DropTrialUpdated(migrationBuilder);
            SeedGroupStatsPostgres.CreateTrialUpdated(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            SeedGroupStatsPostgres.DropTrialUpdated(migrationBuilder);
            SeedGroupPackedMoments.CreateTrialUpdated(migrationBuilder, replace: true);
        }
    }
}
