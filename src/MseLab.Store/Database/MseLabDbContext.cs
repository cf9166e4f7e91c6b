using Microsoft.EntityFrameworkCore;
using MseLab.Store.Entities;

namespace MseLab.Store.Database;

/// <summary>
/// The results store, the system of record for sweeps, trials, epochs, test metrics, checkpoints and provenance.
/// One model for both providers; <see cref="SqliteMseLabDbContext"/> and <see cref="PostgresMseLabDbContext"/> carry a
/// migration set each (a migration generated for one provider does not apply to the other).
/// </summary>
public abstract class MseLabDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SweepEntity> Sweeps => Set<SweepEntity>();

    public DbSet<TrialEntity> Trials => Set<TrialEntity>();

    public DbSet<EpochEntity> Epochs => Set<EpochEntity>();

    public DbSet<TestMetricEntity> TestMetrics => Set<TestMetricEntity>();

    public DbSet<CheckpointEntity> Checkpoints => Set<CheckpointEntity>();

    public DbSet<ProvenanceEntity> Provenance => Set<ProvenanceEntity>();

    public DbSet<AttemptEntity> Attempts => Set<AttemptEntity>();

    public DbSet<WorkerEntity> Workers => Set<WorkerEntity>();

    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();

    public DbSet<AuditEntity> Audit => Set<AuditEntity>();

    /// <summary>Per seed group: planned and succeeded cells, its configuration and its metrics' moments (kept by triggers; read-only here).</summary>
    public DbSet<SeedGroupStatsEntity> SeedGroupStats => Set<SeedGroupStatsEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<SweepEntity>(sweep =>
        {
            sweep.ToTable("sweeps");
            sweep.HasKey(s => s.Id);
            sweep.Property(s => s.Id).HasMaxLength(200);
            sweep.Property(s => s.Owner).HasMaxLength(200).HasDefaultValue(SweepOwners.Local);
        });

        modelBuilder.Entity<TrialEntity>(trial =>
        {
            trial.ToTable("trials");
            trial.HasKey(t => new { t.SweepId, t.Key });
            trial.Property(t => t.Key).HasMaxLength(64);
            trial.Property(t => t.SeedGroup).HasMaxLength(64);
            trial.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
            trial.Property(t => t.DeviceKind).HasMaxLength(16);
            trial.HasIndex(t => new { t.Status, t.HeartbeatAt });
            trial.HasIndex(t => new { t.DispatchPending, t.Status });
            // The seed-group triggers recompute a group from its cells: found by this index, not a scan of the sweep.
            trial.HasIndex(t => new { t.SweepId, t.SeedGroup });
            // Fair share claims a sweep's oldest queued cell: the first entry of this index (insertion order breaks ties).
            trial.HasIndex(t => new { t.SweepId, t.Status, t.QueuedAt });
            trial.HasOne(t => t.Sweep).WithMany(s => s.Trials).HasForeignKey(t => t.SweepId).OnDelete(DeleteBehavior.Cascade);
            trial.HasMany(t => t.Epochs).WithOne().HasForeignKey(e => new { e.SweepId, e.TrialKey }).OnDelete(DeleteBehavior.Cascade);
            trial.HasMany(t => t.TestMetrics).WithOne().HasForeignKey(m => new { m.SweepId, m.TrialKey }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<EpochEntity>(epoch =>
        {
            epoch.ToTable("epochs");
            epoch.HasKey(e => new { e.SweepId, e.TrialKey, e.Epoch });
        });

        modelBuilder.Entity<TestMetricEntity>(metric =>
        {
            metric.ToTable("test_metrics");
            metric.HasKey(m => new { m.SweepId, m.TrialKey, m.Name });
        });

        modelBuilder.Entity<CheckpointEntity>(checkpoint =>
        {
            checkpoint.ToTable("checkpoints");
            checkpoint.HasKey(c => new { c.SweepId, c.TrialKey, c.Kind });
            checkpoint.Property(c => c.Kind).HasConversion<string>();
            checkpoint.HasOne<TrialEntity>().WithMany().HasForeignKey(c => new { c.SweepId, c.TrialKey }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AttemptEntity>(attempt =>
        {
            attempt.ToTable("attempts");
            attempt.HasKey(a => new { a.SweepId, a.TrialKey, a.Attempt });
            attempt.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(16);
            // Fair share sums the device time of attempts that ended lately.
            attempt.HasIndex(a => a.EndedAt);
            attempt.HasOne<TrialEntity>().WithMany().HasForeignKey(a => new { a.SweepId, a.TrialKey }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WorkerEntity>(worker =>
        {
            worker.ToTable("workers");
            worker.HasKey(w => w.Host);
            worker.Property(w => w.Host).HasMaxLength(200);
            worker.Property(w => w.State).HasConversion<string>().HasMaxLength(16);
        });

        modelBuilder.Entity<UserEntity>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Name);
            user.Property(u => u.Name).HasMaxLength(MseLab.Store.Users.MaxNameLength);
            user.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        });

        modelBuilder.Entity<ApiTokenEntity>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasMaxLength(32);
            token.Property(t => t.User).HasMaxLength(MseLab.Store.Users.MaxNameLength);
            token.Property(t => t.SecretHash).HasMaxLength(64);
            token.HasOne<UserEntity>().WithMany().HasForeignKey(t => t.User).OnDelete(DeleteBehavior.Cascade);
        });

        // No foreign key to users: the record of what someone did outlives them (and names the admin secret's caller too).
        modelBuilder.Entity<AuditEntity>(audit =>
        {
            audit.ToTable("audit");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.User).HasMaxLength(MseLab.Store.Users.MaxNameLength);
            audit.Property(a => a.Action).HasMaxLength(32);
            audit.Property(a => a.Target).HasMaxLength(200);
            audit.Property(a => a.Origin).HasMaxLength(200);
            audit.HasIndex(a => a.At);
        });

        modelBuilder.Entity<ProvenanceEntity>(provenance =>
        {
            provenance.ToTable("provenance");
            provenance.HasKey(p => new { p.SweepId, p.TrialKey });
            provenance.HasOne<TrialEntity>().WithOne().HasForeignKey<ProvenanceEntity>(p => new { p.SweepId, p.TrialKey }).OnDelete(DeleteBehavior.Cascade);
        });

        // No foreign keys: the triggers that write these rows also delete them with the group's last cell.
        modelBuilder.Entity<SeedGroupStatsEntity>(stats =>
        {
            stats.ToTable("seed_group_stats");
            stats.HasKey(s => new { s.SweepId, s.SeedGroup });
            stats.Property(s => s.SweepId).HasMaxLength(200);
            stats.Property(s => s.SeedGroup).HasMaxLength(64);
        });
    }
}
