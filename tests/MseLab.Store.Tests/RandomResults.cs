using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MseLab.Experiments.Trials;
using MseLab.Store.Entities;

namespace MseLab.Store.Tests;

/// <summary>
/// A random store for comparing the SQL leaderboard with the in-memory one: several sweeps, seed groups of 1..4 seeds
/// (a seed group is one configuration, as the submitter makes it), cells of every status, metrics missing, undefined
/// (NULL/NaN) or infinite, learning rates that differ below "G6", and one metric of mean 1e4 and std 1e-3, where a sum
/// of squares minus squared sum would lose every digit.
/// </summary>
internal static class RandomResults
{
    private static readonly (string Backbone, string Family)[] Backbones = [("tiny", "llama2-7b"), ("qwen2-0.5b", "qwen2.5-7b"), ("tiny-glm", "chatglm3-6b")];

    private static readonly string[] Datasets = ["mosei@abc123", "MOSEI", "sims", "synthetic:mosei?train=64", "synthetic:mosei"];

    // 1e-4 and 1.00000001e-4 are one label ("0.0001") and one group when grouped by lr, two seed groups by default.
    private static readonly double[] Rates = [1e-3, 1e-4, 1.00000001e-4, 5e-5];

    private static readonly string[] Metrics = ["mae", "corr", "has0_acc2", "f1_score"];

    public static async Task SeedAsync(ResultsDatabase database, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var nan = database.Provider == StoreProvider.Postgres;
        await using var db = database.CreateContext();
        for (var s = 0; s < 3; s++)
        {
            var sweep = $"sweep-{s}";
            db.Sweeps.Add(new SweepEntity { Id = sweep, File = sweep + ".yaml", Definition = "name: " + sweep, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            for (var c = 0; c < 12; c++)
            {
                var (backbone, family) = Backbones[random.Next(Backbones.Length)];
                var dataset = Datasets[random.Next(Datasets.Length)];
                var lr = Rates[random.Next(Rates.Length)];
                var batchSize = random.Next(2) == 0 ? 8 : 16;
                int? maxEpochs = random.Next(3) == 0 ? null : 4;
                var precision = random.Next(3) == 0 ? "bf16" : null;
                var group = Hash($"{backbone}|{dataset}|{lr:R}|{batchSize}|{maxEpochs}|{precision}");
                for (var seedOf = 1; seedOf <= random.Next(1, 5); seedOf++)
                {
                    var key = Hash($"{group}|{seedOf}");
                    if (db.Trials.Local.Any(t => t.SweepId == sweep && t.Key == key))
                    {
                        continue;   // the same configuration drawn twice in one sweep is one cell
                    }

                    var status = random.NextDouble() switch { < 0.65 => TrialStatus.Succeeded, < 0.8 => TrialStatus.Failed, < 0.9 => TrialStatus.Queued, _ => TrialStatus.Running };
                    db.Trials.Add(new TrialEntity
                    {
                        SweepId = sweep, Key = key, SeedGroup = group, Backbone = backbone, Dataset = dataset, Seed = seedOf, DeviceKind = "cpu",
                        LearningRate = lr, MaxEpochs = maxEpochs, Status = status, QueuedAt = DateTime.UtcNow,
                        ResolvedConfig = Config(backbone, family, dataset, seedOf, lr, batchSize, maxEpochs, precision),
                        RunConfig = "{}",
                    });
                    // Failed and running cells may carry metrics too (a crash after testing): the leaderboard must ignore them.
                    if (status != TrialStatus.Queued)
                    {
                        foreach (var name in Metrics.Where(_ => random.NextDouble() < 0.85))
                        {
                            db.TestMetrics.Add(new TestMetricEntity { SweepId = sweep, TrialKey = key, Name = name, Value = Value(random, name, nan) });
                        }
                    }
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    // SQLite has no NaN (EF refuses to write one; the store writes NULL): there the undefined metric is NULL only.
    private static double? Value(Random random, string name, bool nan) => random.NextDouble() switch
    {
        < 0.06 => null,
        < 0.10 => nan ? double.NaN : null,
        < 0.13 => double.PositiveInfinity,
        < 0.15 => double.NegativeInfinity,
        _ when name == "mae" => 1e4 + (random.NextDouble() * 1e-3),
        _ => random.NextDouble(),
    };

    // As ResolvedTrial.CanonicalJson writes it: Precision only when not fp32, MaxEpochs null when unbounded.
    private static string Config(string backbone, string family, string dataset, int seed, double lr, int batchSize, int? maxEpochs, string? precision)
    {
        var config = new Dictionary<string, object?>
        {
            ["Backbone"] = backbone, ["BackboneFamily"] = family, ["Dataset"] = dataset, ["Task"] = "mosei", ["Seed"] = seed,
            ["BatchSize"] = batchSize, ["LearningRate"] = lr, ["MaxEpochs"] = maxEpochs, ["AdamEps"] = 1e-8,
        };
        if (precision is not null)
        {
            config["Precision"] = precision;
        }

        return JsonSerializer.Serialize(config);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
