using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sweeps",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    File = table.Column<string>(type: "text", nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false),
                    Cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sweeps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "trials",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "character varying(200)", nullable: false),
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SeedGroup = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Backbone = table.Column<string>(type: "text", nullable: false),
                    Dataset = table.Column<string>(type: "text", nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false),
                    ResolvedConfig = table.Column<string>(type: "text", nullable: false),
                    RunConfig = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    Failures = table.Column<int>(type: "integer", nullable: false),
                    MaxRetries = table.Column<int>(type: "integer", nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    Device = table.Column<string>(type: "text", nullable: true),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    TrainLoss = table.Column<double>(type: "double precision", nullable: true),
                    BestValidation = table.Column<double>(type: "double precision", nullable: true),
                    BestEpoch = table.Column<int>(type: "integer", nullable: true),
                    StoppedBy = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    QueuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    HeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Seconds = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trials", x => new { x.SweepId, x.Key });
                    table.ForeignKey(
                        name: "FK_trials_sweeps_SweepId",
                        column: x => x.SweepId,
                        principalTable: "sweeps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "checkpoints",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "character varying(200)", nullable: false),
                    TrialKey = table.Column<string>(type: "character varying(64)", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checkpoints", x => new { x.SweepId, x.TrialKey, x.Kind });
                    table.ForeignKey(
                        name: "FK_checkpoints_trials_SweepId_TrialKey",
                        columns: x => new { x.SweepId, x.TrialKey },
                        principalTable: "trials",
                        principalColumns: new[] { "SweepId", "Key" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "epochs",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "character varying(200)", nullable: false),
                    TrialKey = table.Column<string>(type: "character varying(64)", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    TrainLoss = table.Column<double>(type: "double precision", nullable: false),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false),
                    Validation = table.Column<string>(type: "text", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false),
                    SamplesPerSecond = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_epochs", x => new { x.SweepId, x.TrialKey, x.Epoch });
                    table.ForeignKey(
                        name: "FK_epochs_trials_SweepId_TrialKey",
                        columns: x => new { x.SweepId, x.TrialKey },
                        principalTable: "trials",
                        principalColumns: new[] { "SweepId", "Key" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "provenance",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "character varying(200)", nullable: false),
                    TrialKey = table.Column<string>(type: "character varying(64)", nullable: false),
                    GitCommit = table.Column<string>(type: "text", nullable: true),
                    GitDirty = table.Column<bool>(type: "boolean", nullable: false),
                    Host = table.Column<string>(type: "text", nullable: false),
                    TorchSharpVersion = table.Column<string>(type: "text", nullable: false),
                    LibTorchVersion = table.Column<string>(type: "text", nullable: false),
                    Device = table.Column<string>(type: "text", nullable: false),
                    DatasetHash = table.Column<string>(type: "text", nullable: false),
                    TrainableParameters = table.Column<long>(type: "bigint", nullable: false),
                    BackboneParameters = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_provenance", x => new { x.SweepId, x.TrialKey });
                    table.ForeignKey(
                        name: "FK_provenance_trials_SweepId_TrialKey",
                        columns: x => new { x.SweepId, x.TrialKey },
                        principalTable: "trials",
                        principalColumns: new[] { "SweepId", "Key" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "test_metrics",
                columns: table => new
                {
                    SweepId = table.Column<string>(type: "character varying(200)", nullable: false),
                    TrialKey = table.Column<string>(type: "character varying(64)", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_test_metrics", x => new { x.SweepId, x.TrialKey, x.Name });
                    table.ForeignKey(
                        name: "FK_test_metrics_trials_SweepId_TrialKey",
                        columns: x => new { x.SweepId, x.TrialKey },
                        principalTable: "trials",
                        principalColumns: new[] { "SweepId", "Key" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_trials_Status_HeartbeatAt",
                table: "trials",
                columns: new[] { "Status", "HeartbeatAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "checkpoints");

            migrationBuilder.DropTable(
                name: "epochs");

            migrationBuilder.DropTable(
                name: "provenance");

            migrationBuilder.DropTable(
                name: "test_metrics");

            migrationBuilder.DropTable(
                name: "trials");

            migrationBuilder.DropTable(
                name: "sweeps");
        }
    }
}
