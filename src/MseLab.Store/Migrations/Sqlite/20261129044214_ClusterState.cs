using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClusterState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DispatchPending",
                table: "trials",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "MemoryGb",
                table: "trials",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<DateTime>(
                name: "NotBefore",
                table: "trials",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "attempts",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "TEXT", nullable: false),
                    TrialKey = table.Column<string>(type: "TEXT", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Device = table.Column<string>(type: "TEXT", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_attempts", x => new { x.SweepId, x.TrialKey, x.Attempt });
                    table.ForeignKey(
                        name: "FK_attempts_trials_SweepId_TrialKey",
                        columns: x => new { x.SweepId, x.TrialKey },
                        principalTable: "trials",
                        principalColumns: new[] { "SweepId", "Key" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "workers",
                columns: table => new
                {
                    Host = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Devices = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SeenAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workers", x => x.Host);
                });

            migrationBuilder.CreateIndex(
                name: "IX_trials_DispatchPending_Status",
                table: "trials",
                columns: new[] { "DispatchPending", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attempts");

            migrationBuilder.DropTable(
                name: "workers");

            migrationBuilder.DropIndex(
                name: "IX_trials_DispatchPending_Status",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "DispatchPending",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "MemoryGb",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "NotBefore",
                table: "trials");
        }
    }
}
