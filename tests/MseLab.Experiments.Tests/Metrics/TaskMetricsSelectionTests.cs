using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class TaskMetricsSelectionTests
{
    [Theory]
    [InlineData(MetricsTask.Mosi, "mae")]
    [InlineData(MetricsTask.Mosei, "mae")]
    [InlineData(MetricsTask.Sims, "mae")]
    [InlineData(MetricsTask.SimsV2, "mae")]
    [InlineData(MetricsTask.Meld, "weighted_f1")]
    [InlineData(MetricsTask.Cherma, "weighted_f1")]
    public void SelectionKey_Task_IsMaeForRegressionAndWeightedF1ForClassification(MetricsTask task, string key)
    {
        Assert.Equal(key, TaskMetrics.SelectionKey(task));
    }

    [Theory]
    [InlineData(0.5, 0.6, true)]
    [InlineData(0.6, 0.5, false)]
    [InlineData(0.5, 0.5, false)]
    [InlineData(0.5, 0.5000005, false)]
    [InlineData(0.5, 0.500002, true)]
    public void IsBetter_SimsMae_LowerByAtLeastTolerance(double candidate, double best, bool expected)
    {
        Assert.Equal(expected, TaskMetrics.IsBetter(MetricsTask.Sims, candidate, best));
    }

    [Theory]
    [InlineData(0.6, 0.5, true)]
    [InlineData(0.5, 0.6, false)]
    [InlineData(0.5000005, 0.5, false)]
    [InlineData(0.500002, 0.5, true)]
    public void IsBetter_WeightedF1_HigherByAtLeastTolerance(double candidate, double best, bool expected)
    {
        Assert.Equal(expected, TaskMetrics.IsBetter(MetricsTask.Meld, candidate, best));
    }

    [Theory]
    // Both round to 0.5000 (the reference's round(mae, 4)), so the later epoch is not better.
    [InlineData(0.50001, 0.50004, false)]
    [InlineData(0.4999, 0.5001, true)]
    public void IsBetter_MoseiMae_ComparesAtFourDecimals(double candidate, double best, bool expected)
    {
        Assert.Equal(expected, TaskMetrics.IsBetter(MetricsTask.Mosei, candidate, best));
    }

    [Fact]
    public void IsBetter_NaN_NeverBetterButAnyNumberBeatsNaN()
    {
        Assert.False(TaskMetrics.IsBetter(MetricsTask.Sims, double.NaN, 0.5));
        Assert.True(TaskMetrics.IsBetter(MetricsTask.Sims, 0.5, double.NaN));
        Assert.True(TaskMetrics.IsBetter(MetricsTask.Meld, 0.1, double.NaN));
    }
}
