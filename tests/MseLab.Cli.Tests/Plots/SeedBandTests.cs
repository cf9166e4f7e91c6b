using MseLab.Reporting.Curves;

namespace MseLab.Cli.Tests.Plots;

/// <summary>The band of <c>plot curves</c>: mean and sample std per epoch over the seeds that reached it, checked against hand-computed values.</summary>
public sealed class SeedBandTests
{
    [Fact]
    public void Of_ThreeSeedsOneStoppedEarly_MeanAndSampleStdPerEpoch()
    {
        // epoch 1: 1, 2, 3 -> mean 2, std sqrt(((1)^2 + 0 + 1^2) / 2) = 1
        // epoch 2: 2, 4, 9 -> mean 5, std sqrt((9 + 1 + 16) / 2) = sqrt(13)
        // epoch 3: only the first two seeds: 0.5, 1.5 -> mean 1, std sqrt((0.25 + 0.25) / 1) = sqrt(0.5)
        IReadOnlyList<(int, double)>[] seeds =
        [
            [(1, 1.0), (2, 2.0), (3, 0.5)],
            [(1, 2.0), (2, 4.0), (3, 1.5)],
            [(1, 3.0), (2, 9.0)],
        ];

        var band = SeedBand.Of(seeds);

        Assert.Equal([1, 2, 3], band.Select(p => p.Epoch));
        Assert.Equal([2.0, 5.0, 1.0], band.Select(p => p.Mean));
        Assert.Equal(1.0, band[0].Std!.Value, 12);
        Assert.Equal(Math.Sqrt(13), band[1].Std!.Value, 12);
        Assert.Equal(Math.Sqrt(0.5), band[2].Std!.Value, 12);
        Assert.Equal([3, 3, 2], band.Select(p => p.N));
    }

    [Fact]
    public void Of_OneSeedAndNaN_NoStdAndNonFiniteLeftOut()
    {
        IReadOnlyList<(int, double)>[] seeds = [[(1, 4.0), (2, double.NaN)], [(2, double.PositiveInfinity)]];

        var band = SeedBand.Of(seeds);

        var only = Assert.Single(band);
        Assert.Equal(new BandPoint(1, 4.0, null, 1), only);
    }
}
