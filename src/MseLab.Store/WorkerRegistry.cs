using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Entities;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>The workers of a lab and their devices, as they registered themselves; submission checks trials against these devices.</summary>
public sealed class WorkerRegistry(ResultsDatabase database, StoreClock clock)
{
    /// <summary>Registers (or re-registers) a worker and its devices as up.</summary>
    public Task RegisterAsync(string host, IReadOnlyList<WorkerDevice> devices, CancellationToken cancellationToken = default) =>
        RegisterAsync(host, devices, WorkerRoots.None, cancellationToken);

    /// <summary>Registers (or re-registers) a worker, its devices and the roots it lets sweeps name, as up.</summary>
    public Task RegisterAsync(string host, IReadOnlyList<WorkerDevice> devices, WorkerRoots roots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var json = JsonSerializer.Serialize(devices);
        var rootsJson = roots.Backbones.Count == 0 && roots.Data.Count == 0 ? null : JsonSerializer.Serialize(roots);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            var worker = await db.Workers.FindAsync([host], ct);
            if (worker is null)
            {
                worker = new WorkerEntity { Host = host, Devices = json };
                db.Workers.Add(worker);
            }

            worker.Devices = json;
            worker.Roots = rootsJson;
            worker.State = WorkerState.Up;
            worker.StartedAt = now;
            worker.SeenAt = now;
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>Records that the worker is alive, and its new state when given.</summary>
    public Task TouchAsync(string host, WorkerState? state = null, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            var worker = db.Workers.Where(w => w.Host == host);
            return state is { } changed
                ? await worker.ExecuteUpdateAsync(set => set.SetProperty(w => w.SeenAt, now).SetProperty(w => w.State, changed), ct)
                : await worker.ExecuteUpdateAsync(set => set.SetProperty(w => w.SeenAt, now), ct);
        }, cancellationToken);

    /// <summary>Removes a worker's row (a host that will not come back); false when there is none.</summary>
    public Task<bool> ForgetAsync(string host, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (db, ct) => await db.Workers.Where(w => w.Host == host).ExecuteDeleteAsync(ct) == 1, cancellationToken);

    /// <summary>Every registered worker, by host.</summary>
    public async Task<IReadOnlyList<WorkerRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var workers = await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
        return workers
            .OrderBy(w => w.Host, StringComparer.Ordinal)
            .Select(w => new WorkerRow(w.Host, w.State, w.StartedAt, w.SeenAt, JsonSerializer.Deserialize<List<WorkerDevice>>(w.Devices) ?? [])
            {
                Roots = w.Roots is { } roots ? JsonSerializer.Deserialize<WorkerRoots>(roots) ?? WorkerRoots.None : WorkerRoots.None,
            })
            .ToList();
    }

    /// <summary>What runs on each device now: device key to <c>sweep/cell attempt N, epoch E</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RunningByDeviceAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var running = await db.Trials.AsNoTracking().Where(t => t.Status == TrialStatus.Running && t.Device != null)
            .Select(t => new { t.Device, t.SweepId, t.Key, t.Attempt, t.Epoch }).ToListAsync(cancellationToken);
        return running.GroupBy(t => t.Device!).ToDictionary(
            g => g.Key,
            g => string.Join("; ", g.Select(t => $"{t.SweepId}/{t.Key[..Math.Min(12, t.Key.Length)]} attempt {t.Attempt}, epoch {t.Epoch}")),
            StringComparer.Ordinal);
    }
}
