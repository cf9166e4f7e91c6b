using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MseLab.Store.Database;

/// <summary>For <c>dotnet ef migrations add X --context SqliteMseLabDbContext -o Migrations/Sqlite</c>.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMseLabDbContext>
{
    public SqliteMseLabDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMseLabDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>For <c>dotnet ef migrations add X --context PostgresMseLabDbContext -o Migrations/Postgres</c>.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMseLabDbContext>
{
    public PostgresMseLabDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMseLabDbContext>().UseNpgsql("Host=localhost;Database=mselab").Options);
}
