using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>
/// A store filled through the store's own write paths (submit, claim, epochs, complete, fail) for the SQL view tests: real
/// resolved configurations (their canonical JSON and hashes), every metric of each task, and the awkward values (NaN, an
/// infinity, a failed and a queued seed, a running cell with epochs but no test metrics).
/// </summary>
internal static class ViewSeed
{
    public const string Sweep = "views";

    public const string Other = "views-other";

    private static readonly string Pin = new('a', 64);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Sweep "views": A (tiny, synthetic mosei, 3 seeds done; seed 3's corr is NaN, seed 2's acc7 infinite), B (tiny, pinned
    // MOSEI, other hyperparameters; seed 1 done, 2 failed, 3 queued), C (tiny-qwen, synthetic SIMS, the paper's precision, 2 seeds done).
    // Sweep "views-other": D (tiny, 2 seeds: one done, one running after two epochs).
    public static async Task FillAsync(TempStore lab)
    {
        var a = Seeds(new TrialConfig
        {
            Backbone = PresetBackbone.Tiny, Dataset = DatasetRef.Parse("synthetic:mosei?train=64"), LearningRate = 1e-3, MaxEpochs = 3,
        }, 1, 2, 3);
        var b = Seeds(new TrialConfig
        {
            Backbone = PresetBackbone.Tiny, Dataset = DatasetRef.Parse("MOSEI@" + Pin), LearningRate = 1e-4, BatchSize = 16, WarmUpEpochs = 3,
            PseudoTokens = 8, WeightDecay = 0.05,
        }, 1, 2, 3);
        var c = Seeds(new TrialConfig
        {
            Backbone = PresetBackbone.TinyQwen, Dataset = DatasetRef.Parse("synthetic:sims?train=32"), LearningRate = 5e-4, Precision = TrialPrecision.Paper,
        }, 1, 2);
        var d = Seeds(new TrialConfig { Backbone = PresetBackbone.Tiny, Dataset = DatasetRef.Parse("synthetic:mosei"), LearningRate = 2e-3, MaxEpochs = 2 }, 1, 2);

        var queued = (await lab.Sweeps.SubmitAsync(Submissions.Sweep([.. a.Concat(b).Concat(c).Select(Cell)], Sweep), rerunFailed: false, Ct)).Dispatch
            .Concat((await lab.Sweeps.SubmitAsync(Submissions.Sweep([.. d.Select(Cell)], Other), rerunFailed: false, Ct)).Dispatch)
            .ToDictionary(q => q.Key);
        QueuedCell Of(ResolvedTrial trial) => queued[trial.Hash()];

        await RunAsync(lab, Of(a[0]), a[0], epochs: 3);
        await RunAsync(lab, Of(a[1]), a[1], epochs: 3, odd: ("acc7", double.PositiveInfinity));
        await RunAsync(lab, Of(a[2]), a[2], epochs: 2, odd: ("corr", double.NaN));
        await RunAsync(lab, Of(b[0]), b[0], epochs: 2);
        await lab.ClaimAsync(Of(b[1]));
        Assert.Null(await lab.Leases.FailAsync(Of(b[1]).Lease, "out of memory", FailureClass.Permanent, Ct));
        await RunAsync(lab, Of(c[0]), c[0], epochs: 2);
        await RunAsync(lab, Of(c[1]), c[1], epochs: 3);
        await RunAsync(lab, Of(d[0]), d[0], epochs: 2);
        await RunAsync(lab, Of(d[1]), d[1], epochs: 2, complete: false);
    }

    private static ResolvedTrial[] Seeds(TrialConfig config, params int[] seeds) => [.. seeds.Select(s => TrialDefaults.Resolve(config with { Seed = s }))];

    private static CellSubmission Cell(ResolvedTrial trial) => new(
        trial.Hash(), trial.SeedGroup(), trial.Backbone.ToString(), trial.Dataset.ToString(), trial.Seed, trial.LearningRate, trial.MaxEpochs,
        trial.CanonicalJson(), JsonSerializer.Serialize(new { Backbone = trial.Backbone.ToString(), Dataset = trial.Dataset.ToString(), trial.Seed, trial.Device }));

    // Metric values from a generator seeded by the trial, so that groups differ; one metric can be made odd (NaN, infinite)
    // in the test metrics and in the last epoch's validation.
    private static async Task RunAsync(TempStore lab, QueuedCell cell, ResolvedTrial trial, int epochs, (string Name, double Value)? odd = null, bool complete = true)
    {
        var random = new Random((trial.Seed * 7919) + (int)(trial.LearningRate * 1e6));
        Dictionary<string, double> Metrics(bool last) => MetricKeys.For(trial.Task).ToDictionary(
            m => m, m => last && odd is { } o && o.Name == m ? o.Value : Math.Round(random.NextDouble(), 6) + random.NextDouble() * 1e-7, StringComparer.Ordinal);

        await lab.ClaimAsync(cell, device: "cpu:" + trial.Seed);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            lab.Time.Advance(TimeSpan.FromSeconds(30 + epoch));
            var report = new EpochReport(
                epoch, (1.0 / epoch) + random.NextDouble(), 1e-3 * epoch, Metrics(epoch == epochs), Seconds: 10 + epoch, SamplesPerSecond: 50 * epoch);
            Assert.True(await lab.Leases.RecordEpochAsync(cell.Lease, report, [], Ct));
        }

        if (complete)
        {
            lab.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await lab.Leases.CompleteAsync(cell.Lease, Submissions.Outcome(Metrics(last: true), bestEpoch: epochs), Ct));
        }
    }
}
