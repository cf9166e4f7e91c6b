using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MseLab.Contracts;
using MseLab.Data.Entities;
using MseLab.Data.Records;

namespace MseLab.Data;

/// <summary>What a cluster of worker processes shares beyond the trial lifecycle: the outbox flag, workers, attempt history.</summary>
public sealed partial class ResultsStore
{
    /// <summary>Requeued cells whose message was never confirmed sent (the sender died, or the broker was down) since before <paramref name="queuedBefore"/>.</summary>
    public async Task<IReadOnlyList<RunTrial>> PendingDispatchAsync(DateTime queuedBefore, CancellationToken cancellationToken = default)
    {
        await using var db = Database.CreateContext();
        var trials = await db.Trials.AsNoTracking()
            .Where(t => t.DispatchPending && t.Status == TrialStatus.Queued && t.QueuedAt < queuedBefore)
            .Take(1000)
            .ToListAsync(cancellationToken);
        return trials.Select(t => Message(t, DeviceKindOf(t))).ToList();
    }

    /// <summary>Cells of every sweep waiting for a device (the queue depth that workers report as a metric).</summary>
    public async Task<int> QueuedCountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = Database.CreateContext();
        return await db.Trials.CountAsync(t => t.Status == TrialStatus.Queued, cancellationToken);
    }

    /// <summary>Clears the outbox flag of cells whose message has been sent.</summary>
    public async Task MarkDispatchedAsync(IReadOnlyList<RunTrial> sent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        if (sent.Count == 0)
        {
            return;
        }

        await Database.WriteAsync(async (db, ct) =>
        {
            foreach (var m in sent)
            {
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE trials SET "DispatchPending" = FALSE
                    WHERE "SweepId" = {m.SweepId} AND "Key" = {m.TrialKey} AND "Attempt" = {m.Attempt} AND "DispatchPending"
                    """, ct);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>Registers (or re-registers) a worker and its devices as up.</summary>
    public async Task RegisterWorkerAsync(string host, IReadOnlyList<WorkerDevice> devices, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(devices);
        await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            var worker = await db.Workers.FindAsync([host], ct);
            if (worker is null)
            {
                worker = new WorkerEntity { Host = host, Devices = json, State = WorkerState.Up };
                db.Workers.Add(worker);
            }

            worker.Devices = json;
            worker.State = WorkerState.Up;
            worker.StartedAt = now;
            worker.SeenAt = now;
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>Records that the worker is alive, or its new state (<see cref="WorkerState"/>).</summary>
    public async Task TouchWorkerAsync(string host, string? state = null, CancellationToken cancellationToken = default)
    {
        await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            return state is null
                ? await db.Workers.Where(w => w.Host == host).ExecuteUpdateAsync(set => set.SetProperty(w => w.SeenAt, now), ct)
                : await db.Workers.Where(w => w.Host == host).ExecuteUpdateAsync(set => set.SetProperty(w => w.SeenAt, now).SetProperty(w => w.State, state), ct);
        }, cancellationToken);
    }

    /// <summary>Every registered worker, by host.</summary>
    public async Task<IReadOnlyList<WorkerRow>> WorkersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = Database.CreateContext();
        var workers = await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
        return workers
            .OrderBy(w => w.Host, StringComparer.Ordinal)
            .Select(w => new WorkerRow(w.Host, w.State, w.StartedAt, w.SeenAt, JsonSerializer.Deserialize<List<WorkerDevice>>(w.Devices) ?? []))
            .ToList();
    }

    /// <summary>What runs on each device now: device key to <c>sweep/cell attempt N, epoch E</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RunningByDeviceAsync(CancellationToken cancellationToken = default)
    {
        await using var db = Database.CreateContext();
        var running = await db.Trials.AsNoTracking().Where(t => t.Status == TrialStatus.Running && t.Device != null)
            .Select(t => new { t.Device, t.SweepId, t.Key, t.Attempt, t.Epoch }).ToListAsync(cancellationToken);
        return running.GroupBy(t => t.Device!).ToDictionary(
            g => g.Key,
            g => string.Join("; ", g.Select(t => $"{t.SweepId}/{t.Key[..Math.Min(12, t.Key.Length)]} attempt {t.Attempt}, epoch {t.Epoch}")),
            StringComparer.Ordinal);
    }

    /// <summary>The ended attempts of a sweep's cells (or of one cell), oldest first.</summary>
    public async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(string sweepId, string? trialKey = null, CancellationToken cancellationToken = default)
    {
        await using var db = Database.CreateContext();
        var query = db.Attempts.AsNoTracking().Where(a => a.SweepId == sweepId);
        if (trialKey is not null)
        {
            query = query.Where(a => a.TrialKey == trialKey);
        }

        var rows = await query.ToListAsync(cancellationToken);
        return rows.OrderBy(a => a.TrialKey, StringComparer.Ordinal).ThenBy(a => a.Attempt)
            .Select(a => new AttemptRow(a.TrialKey, a.Attempt, a.Device, a.StartedAt, a.EndedAt, a.Outcome, a.Reason))
            .ToList();
    }
}
