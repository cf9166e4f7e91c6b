using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SweepOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "sweeps",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "local");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Owner",
                table: "sweeps");
        }
    }
}
