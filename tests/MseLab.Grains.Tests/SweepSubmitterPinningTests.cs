using MseLab.Cluster.Client;
using MseLab.Experiments.Sweeps;

namespace MseLab.Grains.Tests;

/// <summary>
/// The submission's guard for stored data: a dataset without its content hash is never queued (the command line pins
/// before it submits; the API, which reads no data, takes pinned datasets only).
/// </summary>
public sealed class SweepSubmitterPinningTests
{
    // No store, queue or cluster: the guard refuses before it touches any of them.
    private static readonly SweepSubmitter Submitter = new(null!, null!, null!, null!, null!, null!);

    private static SweepDefinition Sweep(string datasets) => SweepParser.Parse($"""
        name: api
        backbones: [tiny]
        datasets: [{datasets}]
        seeds: [1]
        """, "request body");

    [Theory]
    [InlineData("mosei", "mosei is stored data without a content hash. Name it as NAME@SHA256")]
    [InlineData("mosei, synthetic:meld, MELD, meld", "mosei, meld are stored data without a content hash. Name each as NAME@SHA256")]
    public async Task SubmitAsync_UnpinnedStoredDataset_IsRejectedSayingHowToPin(string datasets, string message)
    {
        var error = await Assert.ThrowsAsync<SweepRejectedException>(() =>
            Submitter.SubmitAsync(Sweep(datasets), "POST /api/sweeps (api)", "", rerunFailed: false, TestContext.Current.CancellationToken));

        Assert.StartsWith("Sweep api was not queued: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("`mselab sweep validate FILE --data-root DIR` prints the hashes", error.Message, StringComparison.Ordinal);
    }
}
