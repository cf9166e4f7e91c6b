using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>Submits small sweeps with fresh names and keys straight to the store, as <c>mselab sweep run</c> does.</summary>
internal static class TestSweeps
{
    public const int MaxEpochs = 5;

    public static async Task<(string SweepId, IReadOnlyList<string> Keys)> SubmitAsync(SweepSubmissions store, int cells, CancellationToken cancellationToken, int retries = 0)
    {
        var sweepId = $"sweep-{Guid.NewGuid():N}";
        var submission = new SweepSubmission(
            sweepId,
            "sweep.yaml",
            "{}",
            "cpu",
            0,
            retries,
            0,
            Enumerable.Range(0, cells).Select(Cell).ToList());
        await store.SubmitAsync(submission, rerunFailed: false, cancellationToken);
        return (sweepId, submission.Cells.Select(c => c.Key).ToList());
    }

    private static CellSubmission Cell(int seed) => new(
        $"trial-{Guid.NewGuid():N}",
        "group",
        "models/tiny",
        "synthetic:mosei?train=8",
        seed,
        1e-3,
        MaxEpochs,
        $$"""{"MaxEpochs":{{MaxEpochs}},"Seed":{{seed}}}""",
        """{"Device":"cpu"}""");
}
