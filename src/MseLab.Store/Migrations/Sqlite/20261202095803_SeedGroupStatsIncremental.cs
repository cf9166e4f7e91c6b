using Microsoft.EntityFrameworkCore.Migrations;
using MseLab.Store.Database;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <summary>
    /// The seed-group triggers change a group's row by what each write adds instead of recomputing it from all its cells
    /// (see <see cref="SeedGroupStatsSqlite"/>); the rows themselves are unchanged, so nothing is backfilled.
    /// </summary>
    public partial class SeedGroupStatsIncremental : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SeedGroupStatsSqlite.DropTriggers(migrationBuilder);
            SeedGroupStatsSqlite.CreateTriggers(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            SeedGroupStatsSqlite.DropTriggers(migrationBuilder);
            SeedGroupPackedMoments.CreateTriggers(migrationBuilder);
        }
    }
}
