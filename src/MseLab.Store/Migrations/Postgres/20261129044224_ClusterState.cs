using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Postgres
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "MemoryGb",
                table: "trials",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<DateTime>(
                name: "NotBefore",
                table: "trials",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "attempts",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "character varying(200)", nullable: false),
                    TrialKey = table.Column<string>(type: "character varying(64)", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    Device = table.Column<string>(type: "text", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true)
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
                    Host = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Devices = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
