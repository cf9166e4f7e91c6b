using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FairShare : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_trials_SweepId_Status_QueuedAt",
                table: "trials",
                columns: new[] { "SweepId", "Status", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_attempts_EndedAt",
                table: "attempts",
                column: "EndedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_trials_SweepId_Status_QueuedAt",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "IX_attempts_EndedAt",
                table: "attempts");
        }
    }
}
