using System.Diagnostics;
using System.Globalization;
using MseLab.Cluster.Client;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.EarlyStopping;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Training.Backbones;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// One synthetic sweep on the tiny backbone (learning rates across decades x seeds), run on the embedded cluster (SQLite,
/// in-memory queue, the real engine) to the end, and again with ASHA: the best seed group of each run and the epochs each
/// trained.
/// </summary>
internal static class EarlyStoppingBench
{
    /// <summary>The metric the groups are compared on, and the best chosen by (the selection metric of MOSEI-shaped data).</summary>
    public const string Metric = MetricKeys.Mae;

    /// <summary>What to run: the sweep's size and the rule.</summary>
    public sealed record Plan(int Configurations, int Seeds, int MaxEpochs, int Train, int Workers, int GraceEpochs, int ReductionFactor, string? Backbone = null);

    /// <summary>The one name of both runs' sweep: the random draws of the learning rates are seeded by it, so both runs get the same.</summary>
    public const string SweepName = "bench-early-stopping";

    /// <summary>
    /// The sweep of <paramref name="plan"/>: a random search of <c>Configurations</c> learning rates, log-uniform over
    /// 1e-5 .. 1e-1 (what ASHA is made for; the draws come in no particular order of quality), with or without the rule.
    /// </summary>
    public static SweepDefinition Sweep(Plan plan, string file, EarlyStoppingRule? rule)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new SweepDefinition
        {
            Name = SweepName,
            File = file,
            Backbones = [plan.Backbone is { } folder ? BackboneRef.Parse(folder) : PresetBackbone.Tiny],
            Datasets = [DatasetRef.Parse(string.Create(CultureInfo.InvariantCulture, $"synthetic:mosei?train={plan.Train}&valid=32&test=32"))],
            Seeds = Enumerable.Range(1, plan.Seeds).Select(s => s * 1111).ToList(),
            Base = new Dictionary<string, double>
            {
                ["max_epochs"] = plan.MaxEpochs,
                // A trial's own early stop is off (patience = every epoch): the saving measured is the rule's alone.
                ["early_stop"] = plan.MaxEpochs,
                ["warm_up_epochs"] = plan.MaxEpochs,
            },
            Samples = plan.Configurations,
            Random = [new("lr", new LogUniformDistribution(1e-5, 1e-1))],
            MemoryGb = 0,
            Retries = 0,
            EarlyStopping = rule,
        };
    }

    /// <summary>Runs <paramref name="sweep"/> to the end on a fresh embedded cluster and store in <paramref name="folder"/>.</summary>
    public static async Task<RunFigures> RunAsync(Plan plan, SweepDefinition sweep, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sweep);
        // Each run in its own folder: the store, and the trials' folders (the same sweep and keys in both runs: a second run
        // would otherwise resume the first one's finished checkpoints).
        var run = Directory.CreateDirectory(Path.Combine(folder, Path.GetFileNameWithoutExtension(sweep.File))).FullName;
        await using var cluster = await EmbeddedCluster.StartAsync(plan.Workers, threads: 1, dataRoot: null, Path.Combine(run, "store.db"), Path.Combine(run, "runs"));
        var clock = Stopwatch.StartNew();
        await cluster.Get<SweepSubmitter>().SubmitAsync(sweep, rerunFailed: false, cancellationToken);
        var results = cluster.Get<ResultQueries>();
        // The store, not the live view, says when it is over: a promotion queues cells the view learns of a moment later.
        while (!(await results.SweepsAsync(sweep.Name, cancellationToken)).Single().Finished)
        {
            await Task.Delay(250, cancellationToken);
        }

        clock.Stop();
        var trials = await results.TrialsAsync(sweep.Name, cancellationToken: cancellationToken);
        var epochs = (await results.EpochRowsAsync(sweep.Name, cancellationToken: cancellationToken)).Count;
        var attempts = await results.AttemptsAsync(sweep.Name, cancellationToken: cancellationToken);
        var best = trials
            .GroupBy(t => t.SeedGroup, StringComparer.Ordinal)
            .Where(g => g.All(t => t.Status == TrialStatus.Succeeded && t.BestValidation is not null))
            .Select(g => new BestGroup(Label(g.First().LearningRate), g.Average(t => t.BestValidation!.Value), g.Count()))
            .OrderBy(g => MetricKeys.LowerIsBetter(Metric) ? g.Mean : -g.Mean)
            .FirstOrDefault();
        return new RunFigures(
            best,
            epochs,
            trials.Count,
            trials.Count(t => t.Status == TrialStatus.Pruned),
            attempts.Count(a => a.Outcome == Store.Records.AttemptOutcome.Pruned),
            trials.Count(t => t.Status == TrialStatus.Failed),
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>A configuration's label: its learning rate.</summary>
    public static string Label(double learningRate) => string.Create(CultureInfo.InvariantCulture, $"lr={learningRate:0.###e+0}");

    /// <summary>The tiny backbone, made first (silently) if this folder's models/ lacks it: not part of either run's time.</summary>
    public static void EnsureTinyBackbone() => BackboneLocator.Default.Locate(PresetBackbone.Tiny);
}

/// <summary>The best seed group of a run: its configuration, the mean of its seeds' best validation metric, and how many seeds.</summary>
internal sealed record BestGroup(string Config, double Mean, int Seeds);

/// <summary>What one run of the early-stopping benchmark measured.</summary>
internal sealed record RunFigures(BestGroup? Best, int Epochs, int Cells, int PrunedCells, int PrunedAttempts, int FailedCells, double Seconds);
