using System.Text.Json;
using MseLab.Store.Queries;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>Filters run as SQL on a real SQLite file and on Postgres over seeded trials: the right cells come back.</summary>
public sealed class FilterQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string[]> Cases => new()
    {
        { "seed = 2", ["b", "e"] },
        { "seed != 2 and backbone = 'qwen2-0.5b'", ["a", "c"] },
        { "lr < 0.0005", ["c", "d", "e"] },
        { "lr >= 0.0005 or batch_size > 8", ["a", "b", "c"] },
        { "not (lr >= 0.0005 or batch_size > 8)", ["d", "e"] },
        { "family like 'QWEN%'", ["a", "b", "c"] },
        { "family not like 'qwen%'", ["d", "e"] },
        { "dataset_name in ('mosei', 'sims')", ["a", "b", "d"] },
        { "dataset = 'mosei@abc123'", ["a"] },
        { "dataset_name = 'synthetic:mosei'", ["c", "e"] },
        { "status = succeeded", ["a", "b", "c"] },
        { "status in (queued, failed)", ["d", "e"] },
        { "test.mae < 0.6", ["a", "c"] },
        { "test.mae >= 0.6 or test.has0_acc2 > 0.75", ["b", "c"] },
        { "best_valid.mae <= 0.45", ["a", "b"] },
        { "best_valid.mae < 0.45", ["a"] },
        { "best_valid.mae > 0.47", [] },   // a (0.6) and c (0.48) pass only at epochs that are not their best
        { "started >= '2026-03-01T12:05' and started < '2026-03-01 12:30:00'", ["b", "c"] },
        { "finished < '2026-03-01T12:05'", ["a"] },
        { "precision = fp32 and task = mosei", ["a", "b", "c", "d", "e"] },
        { "precision = bf16", [] },
        { "seed_group = 'g2' or key like '_'", ["a", "b", "c", "d", "e"] },
        { "sweep = 'x''); DROP TABLE trials; --'", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Trials_Where_SqliteReturnsTheMatchingCells(string where, string[] expected)
    {
        await using var lab = await TempStore.CreateAsync();
        await SeedAsync(lab);

        await AssertKeysAsync(lab, where, expected);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Trials_Where_PostgresReturnsTheMatchingCells(string where, string[] expected)
    {
        await using var lab = await TempStore.CreatePostgresAsync();
        await SeedAsync(lab);

        await AssertKeysAsync(lab, where, expected);
    }

    [Fact]
    public async Task Trials_WhereWithSweepAndTestMetrics_CombinesAndLoadsTheMetrics()
    {
        await using var lab = await TempStore.CreateAsync();
        await SeedAsync(lab);

        var rows = await lab.Queries.TrialsAsync(SweepId, where: FilterParser.Parse("test.mae > 0"), cancellationToken: Ct);

        Assert.Equal(["a", "b", "c"], rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(0.7, rows.Single(r => r.Key == "b").Test["mae"]);
        Assert.Empty(await lab.Queries.TrialsAsync("other", where: FilterParser.Parse("seed > 0"), cancellationToken: Ct));
    }

    private static async Task AssertKeysAsync(TempStore lab, string where, string[] expected)
    {
        var rows = await lab.Queries.TrialsAsync(null, where: FilterParser.Parse(where), cancellationToken: Ct);

        Assert.Equal(expected, rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(5, (await lab.Queries.TrialsAsync(null, withTestMetrics: false, cancellationToken: Ct)).Count);   // the store is untouched
    }

    // a: qwen mosei@pin seed 1, done (mae 0.5, acc 0.7), best epoch's valid mae 0.4, started 12:00, finished 12:03
    // b: qwen sims seed 2, done (mae 0.7, acc 0.6), started 12:10
    // c: qwen synthetic seed 1 lr 1e-4 batch 16, done (mae 0.55, acc 0.8), started 12:20
    // d: llama mosei seed 3 lr 1e-4, failed (started 12:30); e: llama synthetic seed 2 lr 1e-4, queued
    private static async Task SeedAsync(TempStore lab)
    {
        var queued = await lab.SubmitAsync(
            Trial("a", "qwen2-0.5b", "qwen2.5-7b", "mosei@abc123", 1, 1e-3, 8),
            Trial("b", "qwen2-0.5b", "qwen2.5-7b", "sims", 2, 1e-3, 8),
            Trial("c", "qwen2-0.5b", "qwen2.5-7b", "synthetic:mosei?train=64", 1, 1e-4, 16),
            Trial("d", "tiny", "llama2-7b", "MOSEI", 3, 1e-4, 8),
            Trial("e", "tiny", "llama2-7b", "synthetic:mosei", 2, 1e-4, 8, seedGroup: "g2"));
        var cells = queued.ToDictionary(q => q.Key);

        await RunAsync(lab, cells["a"], 0.5, 0.7, validMae: [0.6, 0.4]);
        await RunAsync(lab, cells["b"], 0.7, 0.6, validMae: [0.5, 0.45]);
        await RunAsync(lab, cells["c"], 0.55, 0.8, validMae: [0.48, 0.46]);
        await lab.ClaimAsync(cells["d"]);
        Assert.Null(await lab.Leases.FailAsync(cells["d"].Lease, "boom", FailureClass.Permanent, Ct));
    }

    private static async Task RunAsync(TempStore lab, QueuedCell cell, double mae, double acc, double[] validMae)
    {
        await lab.ClaimAsync(cell);
        lab.Time.Advance(TimeSpan.FromMinutes(1));
        for (var epoch = 1; epoch <= validMae.Length; epoch++)
        {
            Assert.True(await lab.Leases.RecordEpochAsync(cell.Lease, Epoch(epoch, 0.9, validMae[epoch - 1]), [], Ct));
        }

        lab.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await lab.Leases.CompleteAsync(cell.Lease, Outcome(new Dictionary<string, double> { ["mae"] = mae, ["has0_acc2"] = acc }, bestEpoch: validMae.Length), Ct));
        lab.Time.Advance(TimeSpan.FromMinutes(7));
    }

    private static CellSubmission Trial(string key, string backbone, string family, string dataset, int seed, double lr, int batchSize, string seedGroup = "g1") => new(
        key, seedGroup, backbone, dataset, seed, lr, 4,
        JsonSerializer.Serialize(new { Backbone = backbone, BackboneFamily = family, Dataset = dataset, Task = "mosei", Seed = seed, LearningRate = lr, BatchSize = batchSize, MaxEpochs = 4 }),
        JsonSerializer.Serialize(new { Backbone = "/models/" + backbone, Dataset = dataset, Seed = seed, Device = "cpu", Key = key }));
}
