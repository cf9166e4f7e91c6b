using System.Text.Json;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Tests.ResultsPage;

/// <summary>
/// Fills a results store through the store's own write paths (submit, claim, one report per epoch, complete or fail), as
/// workers do. Three sweeps:
/// <list type="bullet">
/// <item><c>lr-sweep</c>: a tiny LLaMA2-family backbone on synthetic MOSEI, lr 1e-3 and 1e-4 x seeds 1-3, four epochs
/// each; lr 1e-4 seed 3 fails after two epochs.</item>
/// <item><c>paper-mosei</c>: the ChatGLM3 family on stored MOSEI (a dataset the paper reports), lr 5e-5, seeds 1111-3333
/// done with three epochs, seed 4444 still queued.</item>
/// <item><see cref="MarkupSweep"/>: one queued cell under a name that is HTML, which the page must show as text.</item>
/// </list>
/// </summary>
internal static class ResultsSeed
{
    public const string LrSweep = "lr-sweep";
    public const string PaperSweep = "paper-mosei";
    public const string MarkupSweep = "<img src=x onerror=alert(1)>";

    private static readonly ProvenanceRecord Provenance = new("abc123", GitDirty: false, "lab-1", "0.107.0", "2.10.0", "cpu", "sha256:data", 1234, 56789);

    public static async Task FillAsync(ResultsDatabase database, CancellationToken cancellationToken)
    {
        var time = new StoreClock(database);
        var sweeps = new SweepSubmissions(database, time);
        var leases = new TrialLeases(database, time);

        var lrCells = (from lr in new[] { 1e-3, 1e-4 } from seed in new[] { 1, 2, 3 }
                       select Cell($"lr{lr:0e0}-s{seed}", $"lr{lr:0e0}", "tiny", "llama2-7b", "synthetic:mosei?train=64", seed, lr)).ToArray();
        foreach (var cell in await SubmitAsync(sweeps, LrSweep, lrCells, cancellationToken))
        {
            var (lr, seed) = (lrCells.Single(c => c.Key == cell.Key).LearningRate, lrCells.Single(c => c.Key == cell.Key).Seed);
            var slow = lr < 5e-4 ? 0.12 : 0;   // the smaller learning rate learns more slowly: its curve lies above
            var failed = lr < 5e-4 && seed == 3;
            await RunAsync(leases, cell, failed ? 2 : 4, epoch => 0.95 - 0.07 * epoch + slow + 0.015 * seed, epoch => 1.4 / epoch + slow + 0.02 * seed, cancellationToken);
            if (failed)
            {
                await leases.FailAsync(cell.Lease, "CUDA out of memory (seeded)", FailureClass.Permanent, cancellationToken);
            }
            else
            {
                await CompleteAsync(leases, cell, new() { ["mae"] = 0.66 + slow + 0.01 * seed, ["has0_acc2"] = 0.71 - slow / 2 + 0.01 * seed }, cancellationToken);
            }
        }

        var paperCells = new[] { 1111, 2222, 3333, 4444 }.Select(seed => Cell($"glm-s{seed}", "glm", "chatglm3-6b-base", "chatglm3-6b-base", "mosei@0123abcd", seed, 5e-5)).ToArray();
        var paper = await SubmitAsync(sweeps, PaperSweep, paperCells, cancellationToken);
        foreach (var (cell, i) in paper.Take(3).Select((c, i) => (c, i)))
        {
            await RunAsync(leases, cell, 3, epoch => 0.8 - 0.08 * epoch + 0.01 * i, epoch => 1.1 / epoch + 0.03 * i, cancellationToken);
            await CompleteAsync(leases, cell, new() { ["mae"] = 0.52 + 0.01 * i, ["has0_acc2"] = 0.86 + 0.01 * i, ["corr"] = 0.77 }, cancellationToken);
        }

        await SubmitAsync(sweeps, MarkupSweep, [Cell("markup", "m", "tiny", "llama2-7b", "synthetic:mosei", 1, 1e-3)], cancellationToken);
    }

    private static async Task<IReadOnlyList<QueuedCell>> SubmitAsync(SweepSubmissions sweeps, string id, CellSubmission[] cells, CancellationToken cancellationToken) =>
        (await sweeps.SubmitAsync(new SweepSubmission(id, $"/sweeps/{id}.yaml", $"name: {id}\n", "cpu", MemoryGb: 0, Retries: 0, Priority: 3, cells), rerunFailed: false, cancellationToken)).Dispatch;

    private static async Task RunAsync(TrialLeases leases, QueuedCell cell, int epochs, Func<int, double> validMae, Func<int, double> trainLoss, CancellationToken cancellationToken)
    {
        if (await leases.TryClaimAsync(cell.Lease, "cpu:0", cancellationToken) is null)
        {
            throw new InvalidOperationException($"the claim of {cell.Key} was refused");
        }

        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var report = new EpochReport(epoch, trainLoss(epoch), 1e-3, new Dictionary<string, double> { ["mae"] = validMae(epoch), ["has0_acc2"] = 0.6 + 0.03 * epoch }, Seconds: 1.5, SamplesPerSecond: 100);
            if (!await leases.RecordEpochAsync(cell.Lease, report, [], cancellationToken))
            {
                throw new InvalidOperationException($"epoch {epoch} of {cell.Key} was not recorded");
            }
        }
    }

    private static async Task CompleteAsync(TrialLeases leases, QueuedCell cell, Dictionary<string, double> test, CancellationToken cancellationToken)
    {
        if (!await leases.CompleteAsync(cell.Lease, new TrialOutcome(BestEpoch: 2, BestValidation: 0.5, "max_epochs", test, Seconds: 12.5, Provenance), cancellationToken))
        {
            throw new InvalidOperationException($"the completion of {cell.Key} was refused");
        }
    }

    // Configurations shaped as the submitter writes them (resolved JSON with the family, the run JSON).
    private static CellSubmission Cell(string key, string seedGroup, string backbone, string family, string dataset, int seed, double lr) => new(
        key, seedGroup, backbone, dataset, seed, lr, 4,
        JsonSerializer.Serialize(new { Backbone = backbone, BackboneFamily = family, Dataset = dataset, Task = "mosei", Seed = seed, LearningRate = lr, BatchSize = 8, MaxEpochs = 4 }),
        JsonSerializer.Serialize(new { Backbone = "/models/" + backbone, Dataset = dataset, Seed = seed, Device = "cpu", Key = key }));
}
