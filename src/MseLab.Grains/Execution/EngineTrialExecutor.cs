using System.Text.Json;
using Microsoft.Extensions.Options;
using MseLab.Data;
using MseLab.Data.Entities;
using MseLab.Data.Records;
using MseLab.Training;
using MseLab.Training.Data.Synthetic;
using MseLab.Training.Metrics;
using MseLab.Training.Trials;

namespace MseLab.Grains.Execution;

/// <summary>
/// Runs a cell with the MSE-Adapter engine in its own folder. Before starting it fetches the latest checkpoint from the
/// store when the folder lacks one (another worker ran it before); after every epoch it stores the epoch and both
/// checkpoints, so any worker that reaches the store can resume it.
/// </summary>
public sealed class EngineTrialExecutor(ResultsStore store, IOptions<WorkerOptions> options) : ITrialExecutor
{
    // Undefined metrics (NaN) are written as "NaN" in state.json.
    private static readonly JsonSerializerOptions StateJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly WorkerOptions _options = options.Value;

    public Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        // A dedicated thread: training blocks for minutes and must not hold a thread-pool or grain-scheduler thread.
        return Task.Factory.StartNew(() => Execute(trial, device, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private TrialExecution Execute(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var config = JsonSerializer.Deserialize<TrialConfig>(trial.RunConfig)
                ?? throw new InvalidDataException($"The stored configuration of trial {trial.Key} is empty.");
            config = config with { Device = TorchDevice(device), Backbone = BackboneLocator.Resolve(config.Backbone, _options.ModelsDirectory) };
            var directory = Path.GetFullPath(Path.Combine(_options.RunsDirectory, trial.SweepId, trial.Key));
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The worker's disk, not the trial: another attempt (maybe on another worker) can pass.
                return TrialExecution.Failed($"this worker cannot write its trial folder {directory} ({e.Message}); check Worker:RunsDirectory and the disk", retryable: true);
            }

            var checkpoints = new CheckpointStore(Path.Combine(directory, "checkpoint"));
            RestoreFromStore(trial, checkpoints, cancellationToken);

            var metricKey = TaskMetrics.SelectionKey(MetricsTaskFor(config));
            var runner = new TrialRunner(new SynchronousProgress<TrialProgress>(p => OnProgress(trial, checkpoints, metricKey, p, progress, lost)));
            var result = runner.Run(config, directory, lost.Token);
            return new TrialExecution(new TrialOutcome(result.BestEpoch, result.BestValidation, result.StoppedBy, result.Test, result.Timing.TotalSeconds, Provenance(result)));
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new TrialExecution(null, "another attempt owns this cell now", LostOwnership: true);
        }
        catch (TrialFailedException e)
        {
            return TrialExecution.Failed(e.Message, retryable: false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or FormatException or JsonException)
        {
            return TrialExecution.Failed(e.Message, retryable: false);   // bad input: the same again would fail the same way
        }
    }

    private void OnProgress(ClaimedTrial trial, CheckpointStore checkpoints, string metricKey, TrialProgress p, Action<TrialEpochUpdate> progress, CancellationTokenSource lost)
    {
        // The live column is the validation metric; test metrics go to the store and the leaderboard only.
        double? metric = p.Phase == TrialPhase.Validating && p.Metrics is not null && p.Metrics.TryGetValue(metricKey, out var m) ? m : null;
        progress(new TrialEpochUpdate(trial.Key, p.Epoch, p.Step, p.StepsInEpoch, p.Loss, metricKey, metric, 0, PhaseName(p.Phase), p.SamplesPerSecond));
        if (p.Phase != TrialPhase.Validating || p.Metrics is null)
        {
            return;
        }

        // End of an epoch: the latest checkpoint was just written. Store the epoch and both checkpoints.
        var state = JsonSerializer.Deserialize<TrialState>(File.ReadAllText(Path.Combine(checkpoints.LatestDirectory, "state.json")), StateJson)!;
        var record = state.History[^1];
        var blobs = new List<CheckpointBlob> { CheckpointArchive.Pack(CheckpointEntity.Latest, record.Epoch, checkpoints.LatestDirectory) };
        if (state.BestEpoch == record.Epoch)
        {
            blobs.Add(CheckpointArchive.Pack(CheckpointEntity.Best, record.Epoch, Path.GetDirectoryName(checkpoints.BestAdapterPath)!));
        }

        var report = new EpochReport(record.Epoch, record.TrainLoss, record.LearningRate, record.Validation, record.Seconds, record.SamplesPerSecond);
        if (!store.RecordEpochAsync(trial.SweepId, trial.Key, trial.Attempt, report, blobs).GetAwaiter().GetResult())
        {
            lost.Cancel();   // cancelled or reclaimed meanwhile: stop without writing a result
        }
    }

    private static string PhaseName(TrialPhase phase) => phase switch
    {
        TrialPhase.Loading => TrialPhases.Loading,
        TrialPhase.Training => TrialPhases.Training,
        TrialPhase.Validating => TrialPhases.Validating,
        TrialPhase.Testing => TrialPhases.Testing,
        _ => TrialPhases.Finished,
    };

    private void RestoreFromStore(ClaimedTrial trial, CheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        if (Directory.Exists(checkpoints.LatestDirectory))
        {
            return;
        }

        foreach (var kind in new[] { CheckpointEntity.Latest, CheckpointEntity.Best })
        {
            var blob = store.GetCheckpointAsync(trial.SweepId, trial.Key, kind, cancellationToken).GetAwaiter().GetResult();
            if (blob is not null)
            {
                CheckpointArchive.Unpack(blob, kind == CheckpointEntity.Latest ? checkpoints.LatestDirectory : Path.GetDirectoryName(checkpoints.BestAdapterPath)!);
            }
        }
    }

    // CPU "devices" are slots of one processor: libtorch knows only "cpu". CUDA devices keep their index.
    private static string TorchDevice(string device) => device.StartsWith("cpu", StringComparison.Ordinal) ? "cpu" : device;

    private static MetricsTask MetricsTaskFor(TrialConfig config) => MetricsTaskNames.Parse(SyntheticSpec.Parse(config.Dataset).Shape.MetricsTask);

    private static ProvenanceRecord Provenance(TrialResult result) => new(
        BuildInfo.Commit,
        BuildInfo.Dirty,
        result.Provenance.Host,
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        result.Provenance.TorchVersion,
        result.Provenance.Device,
        result.Provenance.DatasetHash,
        result.Provenance.TrainableParameters,
        result.Provenance.BackboneParameters);
}
