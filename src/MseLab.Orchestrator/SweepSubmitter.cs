using System.Text.Json;
using MassTransit;
using MseLab.Data;
using MseLab.Data.Records;
using MseLab.Grains;
using MseLab.Sweeps;

namespace MseLab.Orchestrator;

/// <summary>Stores a validated sweep, queues the cells that need running, and tells the sweep grain to reload.</summary>
public sealed class SweepSubmitter(ResultsStore store, IPublishEndpoint publish, IGrainFactory grains)
{
    /// <summary>Submits <paramref name="sweep"/>; with <paramref name="rerunFailed"/> failed cells run again.</summary>
    public async Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, bool rerunFailed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
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
        var definition = File.Exists(sweep.File) ? await File.ReadAllTextAsync(sweep.File, cancellationToken) : "";
        var submission = new SweepSubmission(sweep.Name, Path.GetFullPath(sweep.File), definition, sweep.DeviceKind, sweep.Retries, sweep.Priority, cells);
        var outcome = await store.SubmitAsync(submission, rerunFailed, cancellationToken);
        await grains.GetGrain<ISweepGrain>(sweep.Name).RefreshAsync();
        await PublishAsync(outcome.Dispatch, cancellationToken);
        return outcome;
    }

    /// <summary>Requeues cells whose worker stopped heartbeating (all Running cells of the sweep when <paramref name="staleBefore"/> is null).</summary>
    public async Task<int> ReclaimAsync(string? sweepId, DateTime? staleBefore, CancellationToken cancellationToken = default)
    {
        var dispatch = await store.ReclaimAsync(sweepId, staleBefore, cancellationToken);
        await PublishAsync(dispatch, cancellationToken);
        return dispatch.Count;
    }

    private async Task PublishAsync(IReadOnlyList<Contracts.RunTrial> messages, CancellationToken cancellationToken)
    {
        // Higher priority first; within a priority, file order.
        foreach (var message in messages.OrderByDescending(m => m.Priority))
        {
            await publish.Publish(message, cancellationToken);
        }
    }
}
