using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class TaskMetricsInputTests
{
    [Theory]
    [InlineData(MetricsTask.Mosei)]
    [InlineData(MetricsTask.Sims)]
    [InlineData(MetricsTask.Meld)]
    public void Compute_Empty_Throws(MetricsTask task)
    {
        Assert.Throws<ArgumentException>(() => TaskMetrics.Compute(task, [], []));
    }

    [Fact]
    public void Compute_LengthMismatch_ThrowsNamingBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskMetrics.Compute(MetricsTask.Mosi, [1f, 2f], [1f]));

        Assert.Contains("2", error.Message, StringComparison.Ordinal);
        Assert.Contains("1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NaNTruth_ThrowsNamingTheIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskMetrics.Compute(MetricsTask.Sims, [0f, float.NaN], [0f, 0f]));

        Assert.Contains("truth[1]", error.Message, StringComparison.Ordinal);
    }
}
