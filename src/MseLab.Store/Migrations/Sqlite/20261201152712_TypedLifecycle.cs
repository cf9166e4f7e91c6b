using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TypedLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeviceKind",
                table: "trials",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "cpu");

            migrationBuilder.AddColumn<int>(
                name: "MaxEpochs",
                table: "trials",
                type: "INTEGER",
                nullable: true);

            // Values stored by enum name from this migration on (they were lower-case words), and the columns filled from the
            // stored JSON.
            migrationBuilder.Sql("""UPDATE attempts SET "Outcome" = CASE "Outcome" WHEN 'succeeded' THEN 'Succeeded' WHEN 'failed' THEN 'Failed' WHEN 'retried' THEN 'Retried' WHEN 'lost' THEN 'Lost' WHEN 'handed back' THEN 'HandedBack' WHEN 'cancelled' THEN 'Cancelled' ELSE "Outcome" END""");
            migrationBuilder.Sql("""UPDATE workers SET "State" = CASE "State" WHEN 'up' THEN 'Up' WHEN 'draining' THEN 'Draining' WHEN 'stopped' THEN 'Stopped' ELSE "State" END""");
            migrationBuilder.Sql("""UPDATE checkpoints SET "Kind" = CASE "Kind" WHEN 'latest' THEN 'Latest' WHEN 'best' THEN 'Best' ELSE "Kind" END""");
            migrationBuilder.Sql("""UPDATE trials SET "DeviceKind" = CASE WHEN json_extract("RunConfig", '$.Device') LIKE 'cuda%' THEN 'cuda' ELSE 'cpu' END""");
            migrationBuilder.Sql("""UPDATE trials SET "MaxEpochs" = json_extract("ResolvedConfig", '$.MaxEpochs')""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE attempts SET "Outcome" = CASE "Outcome" WHEN 'Succeeded' THEN 'succeeded' WHEN 'Failed' THEN 'failed' WHEN 'Retried' THEN 'retried' WHEN 'Lost' THEN 'lost' WHEN 'HandedBack' THEN 'handed back' WHEN 'Cancelled' THEN 'cancelled' ELSE "Outcome" END""");
            migrationBuilder.Sql("""UPDATE workers SET "State" = CASE "State" WHEN 'Up' THEN 'up' WHEN 'Draining' THEN 'draining' WHEN 'Stopped' THEN 'stopped' ELSE "State" END""");
            migrationBuilder.Sql("""UPDATE checkpoints SET "Kind" = CASE "Kind" WHEN 'Latest' THEN 'latest' WHEN 'Best' THEN 'best' ELSE "Kind" END""");

            migrationBuilder.DropColumn(
                name: "DeviceKind",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "MaxEpochs",
                table: "trials");
        }
    }
}
