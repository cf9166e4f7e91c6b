using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EarlyStopping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EarlyStopping",
                table: "sweeps",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EarlyStopping",
                table: "sweeps");
        }
    }
}
