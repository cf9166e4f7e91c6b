using MseLab.Experiments.EarlyStopping;

namespace MseLab.Experiments.Tests.EarlyStopping;

/// <summary>The rules on seed-group means at one rung, and the rung schedule.</summary>
public sealed class RungDecisionsTests
{
    private static readonly EarlyStoppingRule AshaMae = new(EarlyStoppingMethod.Asha, "mae", 1, 3);
    private static readonly EarlyStoppingRule AshaF1 = new(EarlyStoppingMethod.Asha, "weighted_f1", 1, 3);
    private static readonly EarlyStoppingRule MedianMae = new(EarlyStoppingMethod.Median, "mae", 1, 3);

    private static SeedGroupRung Paused(string group, double mean, double? best = null) => new(group, mean, best ?? mean, Paused: true);

    private static SeedGroupRung WentOn(string group, double mean) => new(group, mean, mean, Paused: false);

    [Theory]
    [InlineData(1, 9, new[] { 1, 3 })]
    [InlineData(1, 10, new[] { 1, 3, 9 })]
    [InlineData(2, 30, new[] { 2, 6, 18 })]
    [InlineData(4, 4, new int[0])]
    public void IsRung_GraceTimesFactorToTheK_BelowTheLastEpoch(int grace, int maxEpochs, int[] rungs)
    {
        var rule = AshaMae with { GraceEpochs = grace };

        Assert.Equal(rungs, Enumerable.Range(1, maxEpochs).Where(e => rule.IsRung(e, maxEpochs)));
    }

    [Fact]
    public void IsRung_WithoutMaxEpochs_FollowsTheScheduleForEver() =>
        Assert.Equal([1, 3, 9, 27, 81], Enumerable.Range(1, 100).Where(e => AshaMae.IsRung(e, maxEpochs: null)));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(12, 4)]
    public void AshaKeep_IsAThirdRoundedDown_AtLeastOne(int groups, int keep) => Assert.Equal(keep, RungDecisions.AshaKeep(groups, 3));

    [Fact]
    public void Asha_FirstGroupAtARung_GoesOn() =>
        Assert.Equal(["a"], RungDecisions.Promote(AshaMae, [Paused("a", 0.9)], "a"));

    [Fact]
    public void Asha_WorseThanTheOnlyOneKept_StaysStopped() =>
        Assert.Empty(RungDecisions.Promote(AshaMae, [WentOn("a", 0.5), Paused("b", 0.6)], "b"));

    [Fact]
    public void Asha_LowerIsBetter_PromotesTheSmallestMeans()
    {
        // Six groups keep two: b (0.2) and d (0.3); a went on before and is not promoted twice.
        var rung = new[] { WentOn("a", 0.9), Paused("b", 0.2), Paused("c", 0.8), Paused("d", 0.3), Paused("e", 0.7), Paused("f", 0.6) };

        Assert.Equal(["b", "d"], RungDecisions.Promote(AshaMae, rung, "f"));
    }

    [Fact]
    public void Asha_HigherIsBetter_PromotesTheLargestMeans()
    {
        var rung = new[] { Paused("a", 0.9), Paused("b", 0.2), Paused("c", 0.8), Paused("d", 0.3), Paused("e", 0.7), Paused("f", 0.6) };

        Assert.Equal(["a", "c"], RungDecisions.Promote(AshaF1, rung, "f"));
    }

    [Fact]
    public void Asha_AGroupStoppedEarlier_IsPromotedWhenEnoughWorseGroupsArrive()
    {
        // b lost to a when they were two; with six groups the best two go on, and b is second.
        List<SeedGroupRung> rung = [WentOn("a", 0.1), Paused("b", 0.2)];
        Assert.Empty(RungDecisions.Promote(AshaMae, rung, "b"));

        rung.AddRange([Paused("c", 0.5), Paused("d", 0.6), Paused("e", 0.7)]);
        Assert.Empty(RungDecisions.Promote(AshaMae, rung, "e"));

        rung.Add(Paused("f", 0.8));
        Assert.Equal(["b"], RungDecisions.Promote(AshaMae, rung, "f"));
    }

    [Fact]
    public void Asha_Ties_KeepTheEarlierName_WhateverTheOrder()
    {
        Assert.Equal(["a"], RungDecisions.Promote(AshaMae, [Paused("b", 0.5), Paused("a", 0.5)], "b"));
        Assert.Equal(["a"], RungDecisions.Promote(AshaMae, [Paused("a", 0.5), Paused("b", 0.5)], "b"));
    }

    [Fact]
    public void Median_TooFewOthers_GoesOn() =>
        Assert.Equal(["b"], RungDecisions.Promote(MedianMae, [WentOn("a", 0.1), Paused("b", 0.9)], "b"));

    [Fact]
    public void Median_WorseThanTheOthersMedian_Stops() =>
        Assert.Empty(RungDecisions.Promote(MedianMae, [WentOn("a", 0.1), WentOn("b", 0.3), Paused("c", 0.31)], "c"));

    [Fact]
    public void Median_ComparesTheGroupsBestMeanSoFar_WithTheOthersMeansAtTheRung() =>
        Assert.Equal(["c"], RungDecisions.Promote(MedianMae, [WentOn("a", 0.1), WentOn("b", 0.3), Paused("c", 0.5, best: 0.15)], "c"));

    [Fact]
    public void Median_HigherIsBetter_StopsBelowTheMedian()
    {
        var rule = MedianMae with { Metric = "acc" };

        Assert.Empty(RungDecisions.Promote(rule, [WentOn("a", 0.6), WentOn("b", 0.7), Paused("c", 0.64)], "c"));
        Assert.Equal(["c"], RungDecisions.Promote(rule, [WentOn("a", 0.6), WentOn("b", 0.7), Paused("c", 0.66)], "c"));
    }

    [Fact]
    public void Median_NeverPromotesGroupsItStoppedBefore() =>
        Assert.Empty(RungDecisions.Promote(MedianMae, [Paused("a", 0.1), WentOn("b", 0.3), WentOn("c", 0.5), WentOn("d", 0.2)], "d"));

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0 }, 2.5)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    public void MedianOf_MiddleValue_OrMeanOfTheTwoMiddle(double[] values, double median) => Assert.Equal(median, RungDecisions.MedianOf(values));
}
