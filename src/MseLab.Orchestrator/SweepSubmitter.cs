using System.Globalization;
using System.Text.Json;
using MseLab.Data;
using MseLab.Data.Entities;
using MseLab.Data.Records;
using MseLab.Grains;
using MseLab.Grains.Execution;
using MseLab.Sweeps;

namespace MseLab.Orchestrator;

/// <summary>Stores a validated sweep, queues the cells that need running, and tells the sweep grain to reload.</summary>
public sealed class SweepSubmitter(ResultsStore store, ITrialDispatcher dispatcher, IGrainFactory grains)
{
    /// <summary>
    /// Submits <paramref name="sweep"/>; with <paramref name="rerunFailed"/> failed cells run again. A sweep whose trials no
    /// registered device can run (kind and memory) is rejected before anything is stored.
    /// </summary>
    /// <exception cref="SweepRejectedException">No registered worker has a device that fits.</exception>
    public async Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, bool rerunFailed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var definition = File.Exists(sweep.File) ? await File.ReadAllTextAsync(sweep.File, cancellationToken) : "";
        return await SubmitAsync(sweep, Path.GetFullPath(sweep.File), definition, rerunFailed, cancellationToken);
    }

    /// <summary>Submits a sweep that came as text (through the API): <paramref name="source"/> names where, <paramref name="definition"/> is the YAML.</summary>
    public async Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, string source, string definition, bool rerunFailed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        await CheckFitAsync(sweep, cancellationToken);
        var cells = SweepExpander.Expand(sweep)
            .Select(t => new CellSubmission(
                t.Key,
                t.SeedGroup,
                t.Resolved.Backbone,
                t.Resolved.Dataset,
                t.Resolved.Seed,
                t.Resolved.LearningRate,
                JsonSerializer.Serialize(t.Resolved),
                JsonSerializer.Serialize(t.Config)))
            .ToList();
        var submission = new SweepSubmission(sweep.Name, source, definition, sweep.DeviceKind, sweep.Retries, sweep.Priority, cells, sweep.MemoryGb);
        var outcome = await store.SubmitAsync(submission, rerunFailed, cancellationToken);
        await grains.GetGrain<ISweepGrain>(sweep.Name).RefreshAsync();
        await dispatcher.DispatchAsync(outcome.Dispatch, cancellationToken);
        return outcome;
    }

    /// <summary>Requeues cells whose worker stopped heartbeating (all Running cells of the sweep when <paramref name="staleBefore"/> is null).</summary>
    public async Task<int> ReclaimAsync(string? sweepId, DateTime? staleBefore, CancellationToken cancellationToken = default)
    {
        var dispatch = await store.ReclaimAsync(sweepId, staleBefore, cancellationToken);
        await dispatcher.DispatchAsync(dispatch, cancellationToken);
        return dispatch.Count;
    }

    private async Task CheckFitAsync(SweepDefinition sweep, CancellationToken cancellationToken)
    {
        var workers = await store.WorkersAsync(cancellationToken);
        if (workers.Count == 0)
        {
            return;   // no worker registered yet (a lab being set up): the trials wait in the queue for the first one
        }

        if (workers.SelectMany(w => w.Devices).Any(d => d.Fits(sweep.DeviceKind, sweep.MemoryGb)))
        {
            return;
        }

        var known = string.Join(", ", workers.SelectMany(w => w.Devices).Select(d =>
            d.MemoryGb > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d.Key} ({d.MemoryGb:0.#} GB)") : d.Key));
        throw new SweepRejectedException(
            string.Create(CultureInfo.InvariantCulture, $"Sweep {sweep.Name} was not queued: its trials need a {sweep.DeviceKind} device with at least {sweep.MemoryGb:0.#} GB (device/memory_gb in {sweep.File}), and no registered worker has one. Registered devices: {known}. Lower memory_gb, change device, or start a worker with such a device (e.g. --devices {sweep.DeviceKind}:0={Math.Ceiling(sweep.MemoryGb)})."));
    }

    private static readonly string[] UpStates = [WorkerState.Up, WorkerState.Draining];

    /// <summary>Whether any registered worker is up now.</summary>
    public async Task<bool> AnyWorkerUpAsync(TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var workers = await store.WorkersAsync(cancellationToken);
        return workers.Any(w => UpStates.Contains(w.State) && DateTime.UtcNow - w.SeenAt < lease);
    }
}
