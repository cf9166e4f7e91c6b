using Microsoft.Extensions.Logging.Abstractions;
using MseLab.Experiments.Trials;
using MseLab.Grains.Tests.Infrastructure;

namespace MseLab.Grains.Tests;

/// <summary>A silo's device reports go to sweep grains in batches, in order, with a step's progress coalesced to its latest.</summary>
public sealed class SweepReportsTests(GrainClusterFixture fixture)
{
    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task Add_ManyEventsWithinAnInterval_ArriveTogetherAndInOrder()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 3, token);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);
        Assert.All((await sweep.GetProgressAsync()).Cells, c => Assert.Equal(TrialStatus.Queued, c.Status));
        using var reports = new SweepReports(fixture.Grains, NullLogger<SweepReports>.Instance);

        foreach (var key in keys)
        {
            reports.Add(sweepId, CellEvent.Started(key, 1, "host-a/cpu:9"));
            for (var step = 1; step <= 50; step++)
            {
                reports.Add(sweepId, CellEvent.Progressed(new TrialEpochUpdate(key, 1, step, 50, 1.0 / step, null, null, 0, TrialPhase.Training, Attempt: 1)));
            }
        }

        reports.Add(sweepId, CellEvent.Finished(keys[2], 1, TrialStatus.Failed));

        var progress = await Wait.UntilAsync(
            sweep.GetProgressAsync,
            p => p.Cells.Count(c => c.Status != TrialStatus.Queued) == 3 && p.Cells.Any(c => c.Status == TrialStatus.Failed),
            Describe.Progress,
            "the three cells to be reported");
        var byKey = progress.Cells.ToDictionary(c => c.TrialKey);
        Assert.Equal((TrialStatus.Running, 50, 1.0 / 50), (byKey[keys[0]].Status, byKey[keys[0]].Step, byKey[keys[0]].Loss));
        Assert.Equal(TrialStatus.Failed, byKey[keys[2]].Status);
    }
}
