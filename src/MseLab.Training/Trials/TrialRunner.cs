using System.Diagnostics;
using System.Text.Json;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Trials;
using MseLab.Training.Backbones;

namespace MseLab.Training.Trials;

/// <summary>
/// Runs one MSE-Adapter trial (spec 5.1): train with AdamW and a per-batch cosine schedule, validate by generation
/// after every epoch, keep the best adapter by the task's selection metric, stop after <c>early_stop</c> epochs without
/// improvement, then test the best adapter. Checkpoints after every epoch (and on cancellation, mid-epoch); a rerun
/// with the same output folder resumes and ends with bit-identical metrics on CPU.
/// </summary>
/// <param name="progress">Receives progress reports.</param>
/// <param name="backbones">Turns the trial's backbone reference into a folder (default: <c>models/</c>).</param>
/// <param name="pool">Where the frozen backbone is leased from (default: the process's <see cref="BackbonePool.Shared"/>).</param>
/// <param name="data">Where stored datasets are read (default: <see cref="LocalDatasets.FromEnvironment"/>, the data root of MSELAB_DATA_ROOT).</param>
public sealed class TrialRunner(IProgress<TrialProgress>? progress = null, BackboneLocator? backbones = null, BackbonePool? pool = null, LocalDatasets? data = null)
{
    private readonly BackboneLocator _backbones = backbones ?? BackboneLocator.Default;
    private readonly BackbonePool _pool = pool ?? BackbonePool.Shared;

    public const string ResultFile = "result.json";

    // Undefined metrics (NaN, e.g. a correlation of constant predictions) are written as "NaN"; enums (family, task) by name.
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Runs (or resumes, or returns the finished result of) the trial in <paramref name="outputDirectory"/>.</summary>
    public TrialResult Run(TrialConfig config, string outputDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outputDirectory);
        var resultPath = Path.Combine(outputDirectory, ResultFile);
        var trial = TrialDefaults.Resolve(config);
        var hash = trial.Hash();
        if (FinishedResult(resultPath, hash) is { } done)
        {
            return done;   // answered from its result file, without loading the backbone or the data
        }

        progress?.Report(new TrialProgress(TrialPhase.Loading, 0, 0, 0, null, 0));
        using var session = TrialSession.Open(trial, _backbones.Locate(config.Backbone), _pool, data);

        var store = new CheckpointStore(Path.Combine(outputDirectory, "checkpoint"));
        var state = session.Restore(store, hash);
        var clock = Stopwatch.StartNew();
        var trainSeconds = state.History.Sum(e => e.Seconds);
        var evalSeconds = 0.0;
        var task = session.MetricsTask;
        var stoppedBy = "early_stop";

        while (state.EpochsDone - state.BestEpoch < session.Trial.EarlyStop)
        {
            if (session.Trial.MaxEpochs is { } max && state.EpochsDone >= max)
            {
                stoppedBy = "max_epochs";
                break;
            }

            var epoch = state.EpochsDone + 1;
            var epochClock = Stopwatch.StartNew();
            var (loss, steps, samples) = session.TrainEpoch(epoch, state, store, progress, cancellationToken);
            epochClock.Stop();
            trainSeconds += epochClock.Elapsed.TotalSeconds;

            var evalClock = Stopwatch.StartNew();
            progress?.Report(new TrialProgress(TrialPhase.Validating, epoch, steps, steps, loss, 0));
            var validation = session.Evaluate(session.Dataset.Valid);
            evalSeconds += evalClock.Elapsed.TotalSeconds;

            var record = new EpochRecord(epoch, loss, session.CurrentLearningRate, validation,
                epochClock.Elapsed.TotalSeconds, samples / epochClock.Elapsed.TotalSeconds, steps / epochClock.Elapsed.TotalSeconds);
            var key = TaskMetrics.SelectionKey(task);
            var improved = state.BestMetric is null || TaskMetrics.IsBetter(task, validation[key], state.BestMetric.Value);
            if (improved)
            {
                store.SaveBest(session.AdapterTensors());
            }

            state = state with
            {
                EpochsDone = epoch,
                Steps = session.Optimizer.Step,
                BestMetric = improved ? validation[key] : state.BestMetric,
                BestEpoch = improved ? epoch : state.BestEpoch,
                History = [.. state.History, record],
                BatchesDoneInEpoch = 0,
                EpochLossSum = 0,
                ElapsedSeconds = state.ElapsedSeconds + clock.Elapsed.TotalSeconds,
            };
            clock.Restart();
            store.SaveLatest(state, session.AdapterTensors(), session.Optimizer.State());
            progress?.Report(new TrialProgress(TrialPhase.Validating, epoch, steps, steps, loss, record.SamplesPerSecond, validation));
        }

        var testClock = Stopwatch.StartNew();
        progress?.Report(new TrialProgress(TrialPhase.Testing, state.EpochsDone, 0, 0, null, 0));
        session.LoadAdapter(store.LoadBest());
        var test = session.Evaluate(session.Dataset.Test);
        var testSeconds = testClock.Elapsed.TotalSeconds;

        var result = new TrialResult
        {
            Trial = session.Trial,
            Epochs = state.History,
            BestEpoch = state.BestEpoch,
            BestValidation = state.BestMetric ?? double.NaN,
            Test = test,
            StoppedBy = stoppedBy,
            Timing = new TrialTiming(state.ElapsedSeconds + clock.Elapsed.TotalSeconds, trainSeconds, evalSeconds, testSeconds),
            Provenance = session.Provenance(),
        };
        var temp = resultPath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(result, Json));
        File.Move(temp, resultPath, overwrite: true);
        progress?.Report(new TrialProgress(TrialPhase.Finished, state.EpochsDone, 0, 0, null, 0, test));
        return result;
    }

    // The result file of this very configuration; an unreadable one (another version's, or half written) is ignored and
    // the trial runs (resuming from its checkpoint).
    private static TrialResult? FinishedResult(string resultPath, string hash)
    {
        if (!File.Exists(resultPath))
        {
            return null;
        }

        try
        {
            var done = JsonSerializer.Deserialize<TrialResult>(File.ReadAllText(resultPath), Json);
            return done is not null && done.Trial.Hash() == hash ? done : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
