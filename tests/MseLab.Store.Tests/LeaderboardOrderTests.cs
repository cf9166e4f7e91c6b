using MseLab.Store.Queries;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>--best (per-metric direction), --sort FIELD[:desc] and --top over leaderboard groups.</summary>
public sealed class LeaderboardOrderTests
{
    private static readonly IReadOnlyList<LeaderboardGroup> Groups =
    [
        Group("1e-3", "b", mae: 0.7, acc: 0.80, n: 3),
        Group("5e-5", "a", mae: 0.5, acc: 0.70, n: 1),
        Group("1e-4", "c", mae: 0.6, acc: null, n: 2),
    ];

    [Fact]
    public void Best_Mae_LowestFirst()
    {
        Assert.Equal(["a", "c", "b"], Labels(LeaderboardOrder.Apply(Groups, sort: null, best: "mae", top: null)));
    }

    [Fact]
    public void Best_Accuracy_HighestFirstAndMissingLast()
    {
        Assert.Equal(["b", "a", "c"], Labels(LeaderboardOrder.Apply(Groups, sort: null, best: "test.has0_acc2", top: null)));
    }

    [Fact]
    public void Sort_NumericFieldAscendingAndDescending_Top()
    {
        Assert.Equal(["a", "c", "b"], Labels(LeaderboardOrder.Apply(Groups, "lr", null, null)));   // 5e-5 < 1e-4 < 1e-3 as numbers, not as text
        Assert.Equal(["b", "c"], Labels(LeaderboardOrder.Apply(Groups, "lr:desc", null, top: 2)));
        Assert.Equal(["b", "c", "a"], Labels(LeaderboardOrder.Apply(Groups, "n:desc", null, null)));
        Assert.Equal(["b", "c", "a"], Labels(LeaderboardOrder.Apply(Groups, "test.mae:desc", null, null)));
    }

    [Theory]
    [InlineData("colour", null, null, "--sort colour")]
    [InlineData(null, "loudness", null, "--best loudness")]
    [InlineData(null, null, 0, "--top 0")]
    public void Apply_Invalid_ThrowsNamingTheOption(string? sort, string? best, int? top, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => LeaderboardOrder.Apply(Groups, sort, best, top));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static string[] Labels(IReadOnlyList<LeaderboardGroup> groups) => [.. groups.Select(g => g.Fields["backbone"])];

    private static LeaderboardGroup Group(string lr, string backbone, double mae, double? acc, int n)
    {
        var metrics = new Dictionary<string, MetricSummary>(StringComparer.Ordinal) { ["mae"] = new(mae, null) };
        if (acc is { } a)
        {
            metrics["has0_acc2"] = new(a, null);
        }

        return new(new Dictionary<string, string>(StringComparer.Ordinal) { ["lr"] = lr, ["backbone"] = backbone }, n, n, metrics);
    }
}
