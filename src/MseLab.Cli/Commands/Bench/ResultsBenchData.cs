using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Store.Database;
using MseLab.Store.Entities;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// The store <c>mselab bench results</c> queries: sweeps of 1000 cells (4 backbones x 5 datasets x 5 learning rates x 2 batch
/// sizes x 5 seeds), each finished cell with its task's test metrics (8 for MOSI/MOSEI/SIMS, 2 for MELD) and 10 epochs of
/// validation metrics; 3% failed and 2% still queued. Values are drawn from a seeded generator, so two runs store the
/// same numbers. Written with the store's bulk insert (multi-row INSERTs, one transaction per chunk).
/// </summary>
internal static class ResultsBenchData
{
    /// <summary>Cells per sweep: the product of the grid below.</summary>
    public const int CellsPerSweep = 1000;

    /// <summary>Epochs each finished cell stores.</summary>
    public const int Epochs = 10;

    private const int ChunkTrials = 2000;

    // (label, paper family) as the sweep file names them.
    private static readonly (string Backbone, string Family)[] Backbones =
        [("llama2-7b", "llama2-7b"), ("qwen-1.8b", "qwen-1.8b"), ("chatglm3-6b-base", "chatglm3-6b-base"), ("tiny", "llama2-7b")];

    private static readonly (string Name, MetricsTask Task)[] Datasets =
        [("mosei", MetricsTask.Mosei), ("mosi", MetricsTask.Mosi), ("sims", MetricsTask.Sims), ("simsv2", MetricsTask.SimsV2), ("meld", MetricsTask.Meld)];

    private static readonly double[] Rates = [1e-3, 5e-4, 1e-4, 5e-5, 1e-5];

    private static readonly int[] BatchSizes = [8, 16];

    private static readonly DateTime Epoch0 = new(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>The name of sweep <paramref name="index"/>.</summary>
    public static string SweepName(int index) => "bench-results-" + index.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>Stores <paramref name="trials"/> cells; <paramref name="progress"/> gets the cells written so far.</summary>
    public static async Task<RowCounts> FillAsync(ResultsDatabase database, int trials, Action<int> progress, CancellationToken cancellationToken)
    {
        var random = new Random(20260105);
        var counts = new RowCounts();
        var sweeps = (trials + CellsPerSweep - 1) / CellsPerSweep;
        var written = 0;
        var chunk = new Chunk();
        for (var s = 0; s < sweeps && written < trials; s++)
        {
            var sweep = SweepName(s);
            chunk.Sweeps.Add(new SweepEntity { Id = sweep, File = sweep + ".yaml", Definition = $"name: {sweep}\n", CreatedAt = Epoch0.AddDays(s), UpdatedAt = Epoch0.AddDays(s + 1) });
            foreach (var (backbone, family) in Backbones)
            {
                foreach (var (dataset, task) in Datasets)
                {
                    var pinned = dataset + "@" + Hash(dataset)[..12];
                    foreach (var lr in Rates)
                    {
                        foreach (var batchSize in BatchSizes)
                        {
                            var seedGroup = Hash($"{sweep}|{backbone}|{pinned}|{lr:R}|{batchSize}")[..16];
                            // A configuration's quality, shared by its seeds; each seed adds its own noise.
                            var quality = 0.55 + (0.3 * random.NextDouble());
                            for (var seed = 1; seed <= 5 && written < trials; seed++)
                            {
                                Add(chunk, random, sweep, backbone, family, pinned, task, lr, batchSize, seed, seedGroup, quality, written);
                                written++;
                                if (chunk.Trials.Count >= ChunkTrials)
                                {
                                    await chunk.FlushAsync(database, counts, cancellationToken);
                                    progress(written);
                                }
                            }
                        }
                    }
                }
            }
        }

        await chunk.FlushAsync(database, counts, cancellationToken);
        progress(written);
        return counts;
    }

    private static void Add(
        Chunk chunk, Random random, string sweep, string backbone, string family, string dataset, MetricsTask task, double lr, int batchSize, int seed,
        string seedGroup, double quality, int index)
    {
        var config = CanonicalJson(backbone, family, dataset, task, seed, lr, batchSize);
        var key = Hash(config);
        var status = random.NextDouble() switch { < 0.03 => TrialStatus.Failed, < 0.05 => TrialStatus.Queued, _ => TrialStatus.Succeeded };
        var started = Epoch0.AddMinutes(index);
        var epochs = status switch { TrialStatus.Succeeded => Epochs, TrialStatus.Failed => random.Next(0, Epochs), _ => 0 };
        var keys = MetricKeys.For(task);
        var bestEpoch = 0;
        var best = double.MaxValue;
        for (var e = 1; e <= epochs; e++)
        {
            var progress = quality * (1 - Math.Exp(-e / 3.0));
            var validation = keys.ToDictionary(k => k, k => Metric(k, progress, random), StringComparer.Ordinal);
            // The best epoch by validation MAE (MELD has none: by its first metric, higher is better).
            var score = validation.TryGetValue(MetricKeys.Mae, out var mae) ? mae : -validation[keys[0]];
            if (score < best)
            {
                (best, bestEpoch) = (score, e);
            }

            chunk.Epochs.Add(new EpochEntity
            {
                SweepId = sweep, TrialKey = key, Epoch = e, Attempt = 1, TrainLoss = 1.5 * Math.Exp(-e / 4.0) + (0.05 * random.NextDouble()),
                LearningRate = lr * Math.Min(1, e / 2.0), Validation = MetricJson.Write(validation), Seconds = 30 + random.NextDouble(), SamplesPerSecond = 400,
            });
        }

        if (status == TrialStatus.Succeeded)
        {
            foreach (var name in keys)
            {
                // About 1% of correlations are undefined (constant predictions): stored as NULL.
                var value = name == MetricKeys.Corr && random.NextDouble() < 0.01 ? (double?)null : Metric(name, quality, random);
                chunk.Metrics.Add(new TestMetricEntity { SweepId = sweep, TrialKey = key, Name = name, Value = value });
            }
        }

        chunk.Trials.Add(new TrialEntity
        {
            SweepId = sweep, Key = key, SeedGroup = seedGroup, Backbone = backbone, Dataset = dataset, Seed = seed, DeviceKind = "cuda", MaxEpochs = Epochs,
            LearningRate = lr, ResolvedConfig = config, RunConfig = $$"""{"Key":"{{key}}","Device":"cuda"}""", Status = status,
            Attempt = status == TrialStatus.Queued ? 0 : 1, MaxRetries = 2, Priority = 3, MemoryGb = 24, Device = status == TrialStatus.Queued ? null : "cuda:0",
            Epoch = epochs, TrainLoss = epochs > 0 ? 0.3 : null, BestValidation = epochs > 0 ? best : null, BestEpoch = epochs > 0 ? bestEpoch : null,
            StoppedBy = status == TrialStatus.Succeeded ? "max_epochs" : null, Error = status == TrialStatus.Failed ? "CUDA out of memory" : null,
            QueuedAt = Epoch0, StartedAt = status == TrialStatus.Queued ? null : started, FinishedAt = status == TrialStatus.Queued ? null : started.AddMinutes(epochs / 2.0),
            Seconds = status == TrialStatus.Queued ? null : epochs * 30.0,
        });
    }

    // Accuracies and F1 grow with quality, MAE falls; noise of a few points per seed.
    private static double Metric(string name, double quality, Random random)
    {
        var noise = (random.NextDouble() - 0.5) * 0.04;
        return name == MetricKeys.Mae ? 1.2 - (0.6 * quality) + noise : Math.Clamp(quality + noise, 0, 1);
    }

    // As ResolvedTrial.CanonicalJson writes it (property order and forms); Precision is absent (fp32).
    private static string CanonicalJson(string backbone, string family, string dataset, MetricsTask task, int seed, double lr, int batchSize)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Backbone", "/models/" + backbone);
            json.WriteString("BackboneFamily", family);
            json.WriteString("Dataset", dataset);
            json.WriteString("Task", MetricsTaskNames.ToName(task));
            json.WriteNumber("Seed", seed);
            json.WriteString("Device", "cuda");
            json.WriteNumber("BatchSize", batchSize);
            json.WriteNumber("EvalBatchSize", batchSize * 2);
            json.WriteNumber("LearningRate", lr);
            json.WriteNumber("WarmUpEpochs", 1);
            json.WriteNumber("EarlyStop", 8);
            json.WriteNumber("PseudoTokens", 4);
            json.WriteNumber("AudioHidden", 64);
            json.WriteNumber("VideoHidden", 64);
            json.WriteNumber("TextLength", 50);
            json.WriteNumber("MaxNewTokens", 10);
            json.WriteNumber("MaxEpochs", Epochs);
            json.WriteNumber("AdamEps", 1e-8);
            json.WriteNumber("WeightDecay", 0);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Rows written per table.</summary>
    internal sealed class RowCounts
    {
        public long Trials { get; set; }

        public long TestMetrics { get; set; }

        public long Epochs { get; set; }
    }

    // One transaction's rows.
    private sealed class Chunk
    {
        public List<SweepEntity> Sweeps { get; } = [];

        public List<TrialEntity> Trials { get; } = [];

        public List<TestMetricEntity> Metrics { get; } = [];

        public List<EpochEntity> Epochs { get; } = [];

        public async Task FlushAsync(ResultsDatabase database, RowCounts counts, CancellationToken cancellationToken)
        {
            await using var db = database.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await BulkInsert.RunAsync(db, Sweeps, cancellationToken);
            await BulkInsert.RunAsync(db, Trials, cancellationToken);
            await BulkInsert.RunAsync(db, Metrics, cancellationToken);
            await BulkInsert.RunAsync(db, Epochs, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            (counts.Trials, counts.TestMetrics, counts.Epochs) = (counts.Trials + Trials.Count, counts.TestMetrics + Metrics.Count, counts.Epochs + Epochs.Count);
            Sweeps.Clear();
            Trials.Clear();
            Metrics.Clear();
            Epochs.Clear();
        }
    }
}
