using System.Text.Json;
using Microsoft.Extensions.Options;
using MseLab.Cluster.Client;
using MseLab.Datasets;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Trials;
using MseLab.Grains;
using MseLab.Grains.Execution;
using MseLab.Models.Runtime;
using MseLab.Store;
using MseLab.Store.Records;
using MseLab.Training;
using MseLab.Training.Backbones;
using MseLab.Training.Trials;

namespace MseLab.Worker.Engine;

/// <summary>
/// Runs a cell with the MSE-Adapter engine in its own folder. Before starting it fetches the latest checkpoint from the
/// store when the folder lacks one (another worker ran it before); after every epoch it stores the epoch and both
/// checkpoints, so any worker that reaches the store can resume it.
/// </summary>
public sealed partial class EngineTrialExecutor(
    TrialLeases leases,
    TrialCheckpoints checkpoints,
    IOptions<EngineOptions> options,
    BackbonePool backbones,
    LocalDatasets datasets,
    ITrialDispatcher dispatcher,
    IGrainFactory grains,
    ILogger<EngineTrialExecutor> logger) : ITrialExecutor
{
    private readonly EngineOptions _options = options.Value;

    public Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        // A dedicated thread: training blocks for minutes and must not hold a thread-pool or grain-scheduler thread.
        return Task.Factory.StartNew(() => Execute(trial, device, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private TrialExecution Execute(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stop = new StopVerdict();
        try
        {
            var config = JsonSerializer.Deserialize<TrialConfig>(trial.RunConfig)
                ?? throw new InvalidDataException($"The stored configuration of trial {trial.Key} is empty.");
            config = config with { Device = DeviceSlots.TorchDeviceOf(device) };   // the slots of a device share its backbone
            var directory = Path.GetFullPath(Path.Combine(_options.RunsDirectory, trial.SweepId, trial.Key));
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The worker's disk, not the trial: another attempt (maybe on another worker) can pass.
                return new TrialExecution.Failed($"this worker cannot write its trial folder {directory} ({e.Message}); check Worker:RunsDirectory and the disk", FailureClass.Transient);
            }

            var store = new CheckpointStore(Path.Combine(directory, "checkpoint"));
            RestoreFromStore(trial, store, cancellationToken);

            var metricKey = TaskMetrics.SelectionKey(config.Dataset.Info.Metrics);
            var runner = new TrialRunner(
                new SynchronousProgress<TrialProgress>(p => OnProgress(trial, store, metricKey, p, progress, lost, stop)),
                new BackboneLocator(_options.ModelsDirectory),
                backbones,
                datasets);
            var result = runner.Run(config, directory, lost.Token);
            return new TrialExecution.Succeeded(new TrialOutcome(result.BestEpoch, result.BestValidation, result.StoppedBy, result.Test, result.Timing.TotalSeconds, Provenance(result)));
        }
        catch (OperationCanceledException) when (stop.PrunedBecause is { } reason && !cancellationToken.IsCancellationRequested)
        {
            return new TrialExecution.Pruned(reason);   // stored as Pruned with this epoch's checkpoint by the store's verdict
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new TrialExecution.Lost("the store refused an epoch: another attempt owns this cell now");
        }
        catch (TrialFailedException e)
        {
            return new TrialExecution.Failed(e.Message, FailureClass.Permanent);
        }
        catch (Exception e) when (TorchFailures.IsOutOfMemory(e))
        {
            return new TrialExecution.Failed(
                $"out of memory on {device} ({e.GetType().Name}: {e.Message}); declare a larger memory_gb or use a larger device", FailureClass.Permanent);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or FormatException
            or JsonException or NotSupportedException or DatasetFileException)
        {
            return new TrialExecution.Failed(e.Message, FailureClass.Permanent);   // bad input: the same again would fail the same way
        }
        catch (MissingDataRootException e)
        {
            // This worker's configuration, not the cell: another worker (with a data root) can run it.
            return new TrialExecution.Failed(e.Message, FailureClass.Transient);
        }
    }

    private void OnProgress(ClaimedTrial trial, CheckpointStore store, string metricKey, TrialProgress p, Action<TrialEpochUpdate> progress, CancellationTokenSource lost, StopVerdict stop)
    {
        // The live column is the validation metric; test metrics go to the store and the leaderboard only.
        double? metric = p.Phase == TrialPhase.Validating && p.Metrics is not null && p.Metrics.TryGetValue(metricKey, out var m) ? m : null;
        progress(new TrialEpochUpdate(trial.Key, p.Epoch, p.Step, p.StepsInEpoch, p.Loss, metricKey, metric, 0, p.Phase, p.SamplesPerSecond));
        if (p.Phase != TrialPhase.Validating || p.Metrics is null)
        {
            return;
        }

        // End of an epoch: the latest checkpoint was just written. Store the epoch and both checkpoints.
        var state = store.ReadLatestState() ?? throw new InvalidDataException($"{store.LatestDirectory} has no state after an epoch.");
        var record = state.History[^1];
        var blobs = new List<CheckpointBlob> { CheckpointArchive.Pack(CheckpointKind.Latest, record.Epoch, store.LatestDirectory) };
        if (state.BestEpoch == record.Epoch)
        {
            blobs.Add(CheckpointArchive.Pack(CheckpointKind.Best, record.Epoch, Path.GetDirectoryName(store.BestAdapterPath)!));
        }

        var report = new EpochReport(record.Epoch, record.TrainLoss, record.LearningRate, record.Validation, record.Seconds, record.SamplesPerSecond);
        var verdict = leases.ReportEpochAsync(trial.Lease, report, blobs).GetAwaiter().GetResult();
        if (verdict.Promoted.Count > 0)
        {
            ShowPromoted(trial.SweepId);
            Send(verdict.Promoted);
        }

        switch (verdict.Decision)
        {
            case EpochDecision.Pruned:
                stop.PrunedBecause = verdict.Reason ?? "pruned by the sweep's early-stopping rule";
                lost.Cancel();   // the store marked the cell Pruned: stop at this checkpoint, write nothing more
                break;
            case EpochDecision.Lost:
                lost.Cancel();   // cancelled or reclaimed meanwhile: stop without writing a result
                break;
        }
    }

    // The sweep's live view reloads the cells from the store before this attempt reports its end: otherwise it could see
    // every cell stopped (the promoted ones still Pruned there) and call the sweep finished.
    private void ShowPromoted(string sweepId)
    {
        try
        {
            grains.GetGrain<ISweepGrain>(sweepId).RefreshAsync().GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // The live view follows the store on its own as well; training goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLiveViewNotRefreshed(logger, sweepId, e.Message);
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "The live view of sweep {SweepId} was not told of promoted cells ({Error}); it follows the store")]
    private static partial void LogLiveViewNotRefreshed(ILogger logger, string sweepId, string error);

    // Promoted cells are queued again in the store, flagged in the dispatch outbox: send them now, off the training thread.
    // A send that fails is retried by the lease sweeper.
    private void Send(IReadOnlyList<QueuedCell> promoted) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await dispatcher.DispatchAsync(promoted);
            }
#pragma warning disable CA1031 // The outbox keeps the cells flagged until a send succeeds.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPromotedNotSent(logger, promoted.Count, e.Message);
            }
        });

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "{Count} promoted cell(s) are queued again but their messages could not be sent ({Error}); the lease sweeper resends them")]
    private static partial void LogPromotedNotSent(ILogger logger, int count, string error);

    // Set from the progress callback (the training thread) before it cancels the run.
    private sealed class StopVerdict
    {
        public string? PrunedBecause { get; set; }
    }

    // The store is the record of a cell: an attempt resumes from the checkpoints stored with its epochs, never from files
    // left in the trial folder, which may be ahead of the store: a worker cut off from it trains on and checkpoints epochs
    // the store then refuses (the attempt lost the cell), and a resumed attempt that took those would skip epochs.
    private void RestoreFromStore(ClaimedTrial trial, CheckpointStore store, CancellationToken cancellationToken)
    {
        if (Directory.Exists(store.Directory))
        {
            Directory.Delete(store.Directory, recursive: true);
        }

        foreach (var kind in new[] { CheckpointKind.Latest, CheckpointKind.Best })
        {
            var blob = checkpoints.GetAsync(trial.SweepId, trial.Key, kind, cancellationToken).GetAwaiter().GetResult();
            if (blob is not null)
            {
                CheckpointArchive.Unpack(blob, kind == CheckpointKind.Latest ? store.LatestDirectory : Path.GetDirectoryName(store.BestAdapterPath)!);
            }
        }
    }

    private static ProvenanceRecord Provenance(TrialResult result)
    {
        var p = result.Provenance;
        return new(p.GitCommit, p.GitDirty, p.Host, p.TorchSharpVersion, p.TorchVersion, p.Device, p.DatasetHash, p.TrainableParameters, p.BackboneParameters);
    }
}
