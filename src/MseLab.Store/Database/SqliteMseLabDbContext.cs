using Microsoft.EntityFrameworkCore;

namespace MseLab.Store.Database;

/// <summary>The embedded store: one SQLite file. Its migrations are in Migrations/Sqlite.</summary>
public sealed class SqliteMseLabDbContext(DbContextOptions<SqliteMseLabDbContext> options) : MseLabDbContext(options);
