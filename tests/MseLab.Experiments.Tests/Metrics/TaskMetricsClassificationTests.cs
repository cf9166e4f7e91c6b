using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class TaskMetricsClassificationTests
{
    [Fact]
    public void Compute_Meld_ReturnsAccAndWeightedF1()
    {
        // Same labels as WeightedF1Tests: weighted F1 = 61/90, accuracy 4/6.
        var m = TaskMetrics.Compute(MetricsTask.Meld, [0f, 0f, 0f, 1f, 1f, 2f], [0f, 0f, 1f, 1f, 2f, 2f]);

        Assert.Equal(["acc", "weighted_f1"], m.Keys);
        Assert.Equal(4.0 / 6.0, m[MetricKeys.Acc], 12);
        Assert.Equal(61.0 / 90.0, m[MetricKeys.WeightedF1], 12);
    }

    [Fact]
    public void Compute_AllNeutral_AccuracyIsNeutralShare()
    {
        // Issue #1: predicting class 0 everywhere scores the share of neutral truths.
        var m = TaskMetrics.Compute(MetricsTask.Cherma, [0f, 0f, 3f, 4f], [0f, 0f, 0f, 0f]);

        Assert.Equal(0.5, m[MetricKeys.Acc]);

        // Class 0: P 1/2, R 1 -> F1 2/3, support 2; others 0. Weighted: (2*2/3) / 4 = 1/3.
        Assert.Equal(1.0 / 3.0, m[MetricKeys.WeightedF1], 12);
    }

    [Fact]
    public void Compute_NonIntegerPrediction_IsAWrongClass()
    {
        var m = TaskMetrics.Compute(MetricsTask.Meld, [1f, 2f], [1.5f, 2f]);

        Assert.Equal(0.5, m[MetricKeys.Acc]);
    }

    [Fact]
    public void Compute_NonIntegerTruth_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskMetrics.Compute(MetricsTask.Meld, [1f, 2.5f], [1f, 2f]));

        Assert.Contains("truth[1]", error.Message, StringComparison.Ordinal);
    }
}
