using System.Globalization;
using System.Text.Json;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Planning;
using MseLab.Experiments.Sweeps;
using MseLab.Grains;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cluster.Client;

/// <summary>Stores a validated sweep, queues the cells that need running, and tells the sweep grain to reload.</summary>
public sealed class SweepSubmitter(SweepSubmissions submissions, StaleLeases leases, WorkerRegistry workers, ITrialDispatcher dispatcher, IGrainFactory grains, StoreClock clock)
{
    /// <summary>
    /// Submits <paramref name="sweep"/> read from its file; with <paramref name="rerunFailed"/> failed cells run again. A sweep
    /// whose trials no registered device can run (kind and memory) is rejected before anything is stored.
    /// </summary>
    /// <exception cref="SweepRejectedException">No registered worker has a device that fits, or a path lies outside the roots of the lab.</exception>
    public Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, bool rerunFailed, CancellationToken cancellationToken = default) =>
        SubmitAsync(sweep, rerunFailed, SweepOwners.Local, cancellationToken);

    /// <summary>Submits <paramref name="sweep"/> read from its file for <paramref name="owner"/> (kept from its first submission).</summary>
    /// <exception cref="SweepRejectedException">No registered worker has a device that fits, or a path lies outside the roots of the lab.</exception>
    public async Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, bool rerunFailed, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var definition = File.Exists(sweep.File) ? await File.ReadAllTextAsync(sweep.File, cancellationToken) : "";
        return await SubmitAsync(sweep, Path.GetFullPath(sweep.File), definition, rerunFailed, owner, cancellationToken);
    }

    /// <summary>Submits a sweep that came as text (through the API): <paramref name="source"/> names where, <paramref name="definition"/> is the YAML.</summary>
    /// <exception cref="SweepRejectedException">No registered worker has a device that fits, or a stored dataset is not pinned.</exception>
    public Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, string source, string definition, bool rerunFailed, CancellationToken cancellationToken = default) =>
        SubmitAsync(sweep, source, definition, rerunFailed, SweepOwners.Local, cancellationToken);

    /// <summary>Submits a sweep that came as text for <paramref name="owner"/> (kept from its first submission).</summary>
    /// <exception cref="SweepRejectedException">No registered worker has a device that fits, or a stored dataset is not pinned.</exception>
    public async Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, string source, string definition, bool rerunFailed, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        CheckPinned(sweep);
        var registered = await workers.ListAsync(cancellationToken);
        SweepRoots.Check(sweep, registered);
        var memoryGb = sweep.MemoryGb ?? EstimateGb(sweep);
        CheckFit(sweep, memoryGb, registered);
        var cells = SweepExpander.Expand(sweep)
            .Select(t => new CellSubmission(
                t.Key,
                t.SeedGroup,
                t.Resolved.Backbone.ToString(),
                t.Resolved.Dataset.ToString(),
                t.Resolved.Seed,
                t.Resolved.LearningRate,
                t.Resolved.MaxEpochs,
                t.Resolved.CanonicalJson(),
                JsonSerializer.Serialize(t.Config)))
            .ToList();
        var submission = new SweepSubmission(sweep.Name, source, definition, sweep.DeviceKind, memoryGb, sweep.Retries, sweep.Priority, cells, owner, sweep.EarlyStopping);
        var outcome = await submissions.SubmitAsync(submission, rerunFailed, cancellationToken);

        // Sent before the live view is told: new cells are not in the outbox, so nothing but this call sends them.
        await dispatcher.DispatchAsync(outcome.Dispatch, cancellationToken);
        await grains.GetGrain<ISweepGrain>(sweep.Name).RefreshAsync();
        return outcome;
    }

    /// <summary>Requeues cells whose worker stopped heartbeating (all Running cells of the sweep when <paramref name="staleBefore"/> is null).</summary>
    public async Task<int> ReclaimAsync(string? sweepId, DateTime? staleBefore, CancellationToken cancellationToken = default)
    {
        var dispatch = await leases.ReclaimAsync(sweepId, staleBefore, cancellationToken);
        await dispatcher.DispatchAsync(dispatch, cancellationToken);
        return dispatch.Count;
    }

    /// <summary>Whether any registered worker is up now (seen within <paramref name="lease"/>).</summary>
    public async Task<bool> AnyWorkerUpAsync(TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = await clock.NowAsync(cancellationToken);
        return (await workers.ListAsync(cancellationToken)).Any(w => w.State is WorkerState.Up or WorkerState.Draining && now - w.SeenAt < lease);
    }

    // A trial on stored data is identified by, and runs only on, the content hash of the data: without one, each worker would
    // train on whatever copy it holds under one key. The command line pins before it submits (MseLab.Datasets reads the
    // files); the API does not read data, so it takes pinned datasets only.
    private static void CheckPinned(SweepDefinition sweep)
    {
        var unpinned = sweep.Datasets.OfType<StoredDatasetRef>().Where(d => !d.IsPinned).Select(d => d.Label).Distinct().ToList();
        if (unpinned.Count > 0)
        {
            throw new SweepRejectedException(
                $"Sweep {sweep.Name} was not queued: {string.Join(", ", unpinned)} {(unpinned.Count == 1 ? "is" : "are")} stored data without a content hash. " +
                $"Name {(unpinned.Count == 1 ? "it" : "each")} as NAME@SHA256 (`mselab sweep validate FILE --data-root DIR` prints the hashes), or submit with `mselab sweep run FILE --data-root DIR`, which pins them.");
        }
    }

    // Without memory_gb, a cell asks for the most any cell of the sweep needs by the memory plan, rounded up to 0.1 GB.
    private static double EstimateGb(SweepDefinition sweep)
    {
        try
        {
            return Math.Ceiling(SweepMemoryPlan.For(sweep, BackboneShapes.DefaultModelsDirectory).PeakGb * 10) / 10;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new SweepRejectedException($"Sweep {sweep.Name} was not queued: it gives no memory_gb and its memory cannot be estimated ({e.Message}). Add resources: {{memory_gb: N}} to {sweep.File}.", e);
        }
    }

    private static void CheckFit(SweepDefinition sweep, double memoryGb, IReadOnlyList<WorkerRow> registered)
    {
        if (registered.Count == 0)
        {
            return;   // no worker registered yet (a lab being set up): the trials wait in the queue for the first one
        }

        if (registered.SelectMany(w => w.Devices).Any(d => d.Fits(sweep.DeviceKind, memoryGb)))
        {
            return;
        }

        var known = string.Join(", ", registered.SelectMany(w => w.Devices).Select(d =>
            d.MemoryGb > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d.Key} ({d.MemoryGb:0.#} GB)") : d.Key));
        var source = sweep.MemoryGb is null ? $"the memory plan's estimate for {sweep.File} (`mselab sweep plan` shows it by part; memory_gb overrides it)" : $"device/memory_gb in {sweep.File}";
        throw new SweepRejectedException(
            string.Create(CultureInfo.InvariantCulture, $"Sweep {sweep.Name} was not queued: its trials need a {sweep.DeviceKind} device with at least {memoryGb:0.#} GB ({source}), and no registered worker has one. Registered devices: {known}. Lower memory_gb or the batch size, change device, or start a worker with such a device (e.g. --devices {sweep.DeviceKind}:0={Math.Ceiling(memoryGb)})."));
    }
}
