using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class TaskMetricsMoseiTests
{
    [Fact]
    public void Compute_ExactZeroPredictions_PositiveInHas0NegativeInNon0()
    {
        // Both truths positive; predictions 0.0 and -0.0 (parse failures). Has0 (x >= 0) calls both positive,
        // Non0 (x > 0) calls both negative.
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [1f, 2f], [0f, -0f]);

        Assert.Equal(1.0, m[MetricKeys.Has0Acc2]);
        Assert.Equal(1.0, m[MetricKeys.Has0F1]);
        Assert.Equal(0.0, m[MetricKeys.Non0Acc2]);
        Assert.Equal(0.0, m[MetricKeys.Non0F1]);
    }

    [Fact]
    public void Compute_ZeroTruth_CountsInHas0AndIsDroppedFromNon0()
    {
        // Sample 1 (truth 0, prediction -1) is wrong under Has0 and absent from Non0.
        var m = TaskMetrics.Compute(MetricsTask.Mosi, [0f, 1f, -1f], [-1f, 1f, -1f]);

        Assert.Equal(2.0 / 3.0, m[MetricKeys.Has0Acc2], 12);
        Assert.Equal(1.0, m[MetricKeys.Non0Acc2]);
    }

    [Fact]
    public void Compute_HalfValues_RoundHalfToEven()
    {
        // np.round: 2.5 -> 2, -0.5 -> -0, 1.5 -> 2, 0.5 -> 0. Rounding half away from zero would give 3, -1, 2, 1
        // and match only one of four.
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [2.5f, -0.5f, 1.5f, 0.5f], [2f, 0f, 2f, 0f]);

        Assert.Equal(1.0, m[MetricKeys.Acc7]);
        Assert.Equal(1.0, m[MetricKeys.Acc5]);
    }

    [Fact]
    public void Compute_OutOfRangePrediction_ClipsForAccuraciesButNotForMae()
    {
        // acc7 clips 10 to 3 (matches truth 3) but rounds -2.5 to -2 and -2.6 to -3; acc5 clips all four to +/-2
        // (both match). MAE is unclipped: |10 - 3| = 7.
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [3f, -2.5f], [10f, -2.6f]);

        Assert.Equal(0.5, m[MetricKeys.Acc7]);
        Assert.Equal(1.0, m[MetricKeys.Acc5]);
        Assert.Equal((7.0 + (2.6f - 2.5f)) / 2, m[MetricKeys.Mae], 6);
    }

    [Fact]
    public void Compute_ConstantPrediction_CorrIsNaN()
    {
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [1f, 2f, -1f], [0.5f, 0.5f, 0.5f]);

        Assert.True(double.IsNaN(m[MetricKeys.Corr]));
    }

    [Fact]
    public void Compute_AllTruthZero_Non0IsNaN()
    {
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [0f, 0f], [1f, -1f]);

        Assert.True(double.IsNaN(m[MetricKeys.Non0Acc2]));
        Assert.True(double.IsNaN(m[MetricKeys.Non0F1]));
        Assert.Equal(0.5, m[MetricKeys.Has0Acc2]);
    }

    [Fact]
    public void Compute_InfinitePrediction_MaeInfiniteAndCorrNaN()
    {
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [1f, -1f], [float.PositiveInfinity, -1f]);

        Assert.Equal(double.PositiveInfinity, m[MetricKeys.Mae]);
        Assert.True(double.IsNaN(m[MetricKeys.Corr]));

        // Infinity clips to 3, which does not round to the truth 1.
        Assert.Equal(0.5, m[MetricKeys.Acc7]);
    }

    [Fact]
    public void Compute_PerfectLinearPrediction_CorrIsOne()
    {
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [-2f, 0f, 1f, 3f], [-1f, 0f, 0.5f, 1.5f]);

        Assert.Equal(1.0, m[MetricKeys.Corr], 12);
    }

    [Fact]
    public void Compute_Mosei_ReturnsKeysInOrder()
    {
        var m = TaskMetrics.Compute(MetricsTask.Mosei, [1f, -1f], [1f, 1f]);

        Assert.Equal(["has0_acc2", "has0_f1", "non0_acc2", "non0_f1", "acc5", "acc7", "mae", "corr"], m.Keys);
    }
}
