using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Database;
using MseLab.Store.Entities;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>
/// The dispatch outbox: a cell queued again (a retry, a reclaim, a hand-back) stays flagged (<c>DispatchPending</c>) from
/// the write that queued it until its message is confirmed sent, so that a sender that dies, or a broker that is down,
/// loses nothing; the lease sweeper sends what stayed flagged. Also the queue depth, for the metric.
/// </summary>
public sealed class DispatchOutbox(ResultsDatabase database)
{
    // A clear is padded to one of these sizes (repeating its last cell, which is harmless), so that only three statement
    // texts exist: each is prepared once per connection instead of one per batch size.
    private static readonly int[] StatementSizes = [1, 16, 256];

    private static readonly Expression<Func<TrialEntity, QueuedCell>> AsQueued =
        t => new QueuedCell(new TrialLease(t.SweepId, t.Key, t.Attempt), t.Priority, t.DeviceKind, t.MemoryGb, t.NotBefore, t.Backbone, t.Dataset);

    /// <summary>Queued cells whose message was never confirmed sent, queued before <paramref name="queuedBefore"/> (at most 1000).</summary>
    public async Task<IReadOnlyList<QueuedCell>> PendingAsync(DateTime queuedBefore, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Trials.AsNoTracking()
            .Where(t => t.DispatchPending && t.Status == TrialStatus.Queued && t.QueuedAt < queuedBefore)
            .OrderBy(t => t.SweepId).ThenBy(t => t.Key)
            .Take(1000)
            .Select(AsQueued)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The cell of <paramref name="lease"/> if it is queued with that attempt and its message not yet confirmed sent.</summary>
    public async Task<QueuedCell?> PendingAsync(TrialLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var db = database.CreateContext();
        return await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == lease.SweepId && t.Key == lease.Key && t.Attempt == lease.Attempt && t.DispatchPending && t.Status == TrialStatus.Queued)
            .Select(AsQueued)
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Clears the flag of cells whose message has been sent (only for the attempt that was sent: a newer requeue stays flagged).</summary>
    public async Task MarkDispatchedAsync(IReadOnlyList<TrialLease> sent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        if (sent.Count == 0)
        {
            return;
        }

        await database.WriteAsync(async (db, ct) =>
        {
            foreach (var sweep in sent.GroupBy(l => l.SweepId, StringComparer.Ordinal))
            {
                foreach (var chunk in sweep.Chunk(StatementSizes[^1]))
                {
                    await db.ExecuteAsync(Cleared(sweep.Key, chunk), ct);
                }
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>Cells of every sweep waiting for a device (the queue depth every worker reports).</summary>
    public async Task<int> QueueDepthAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Trials.CountAsync(t => t.Status == TrialStatus.Queued, cancellationToken);
    }

    // UPDATE ... WHERE ("Key", "Attempt") IN (VALUES ...): row values, as SQLite and Postgres both read them.
    private static FormattableString Cleared(string sweepId, TrialLease[] chunk)
    {
        var size = StatementSizes.First(n => n >= chunk.Length);
        var leases = Enumerable.Range(0, size).Select(i => chunk[Math.Min(i, chunk.Length - 1)]).ToArray();
        var sql = new StringBuilder("""UPDATE trials SET "DispatchPending" = FALSE WHERE "DispatchPending" AND "SweepId" = {0} AND ("Key", "Attempt") IN (VALUES """);
        var values = new object[1 + (2 * leases.Length)];
        values[0] = sweepId;
        for (var i = 0; i < leases.Length; i++)
        {
            (values[1 + (2 * i)], values[2 + (2 * i)]) = (leases[i].Key, leases[i].Attempt);
            sql.Append(i == 0 ? "" : ", ").Append(FormattableString.Invariant($"({{{1 + (2 * i)}}}, {{{2 + (2 * i)}}})"));
        }

        return FormattableStringFactory.Create(sql.Append(')').ToString(), values);
    }
}
