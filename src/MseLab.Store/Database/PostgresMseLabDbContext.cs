using Microsoft.EntityFrameworkCore;

namespace MseLab.Store.Database;

/// <summary>The lab cluster store: PostgreSQL. Its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresMseLabDbContext(DbContextOptions<PostgresMseLabDbContext> options) : MseLabDbContext(options);
