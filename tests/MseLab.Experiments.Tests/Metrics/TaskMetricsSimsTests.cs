using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class TaskMetricsSimsTests
{
    [Fact]
    public void Compute_Sims_ReturnsKeysInOrder()
    {
        var m = TaskMetrics.Compute(MetricsTask.SimsV2, [0.2f, -0.4f], [0.2f, 0.6f]);

        Assert.Equal(["acc2", "acc2_weak", "acc3", "acc5", "f1", "mae", "corr", "r2"], m.Keys);
    }

    [Fact]
    public void Compute_OutOfRange_ClipsBeforeMaeAndR2()
    {
        // Both clip to 1 and -1: a perfect prediction after clipping.
        var m = TaskMetrics.Compute(MetricsTask.Sims, [1f, -1f], [5f, -3f]);

        Assert.Equal(0.0, m[MetricKeys.Mae]);
        Assert.Equal(1.0, m[MetricKeys.R2]);
        Assert.Equal(1.0, m[MetricKeys.Acc5]);
    }

    [Fact]
    public void Compute_PointOneOnThreshold_ComparesInFloat32()
    {
        // 0.1f is in (-0.1, 0.1] in float32 (bin 1) although 0.1f > 0.1 in double; 0.2 is in bin 2.
        var m = TaskMetrics.Compute(MetricsTask.Sims, [0.1f, -0.1f], [0.2f, -0.2f]);

        // Sample 1: truth bin 1, prediction bin 2 -> wrong; sample 2: both in (-1.01, -0.1] -> right.
        Assert.Equal(0.5, m[MetricKeys.Acc3]);
    }

    [Fact]
    public void Compute_WeakAcc2_KeepsOnlyTruthsWithinPointFour()
    {
        // Truths 0.4 and -0.4 are inside [-0.4, 0.4] (inclusive); 0.6 and -1 are not.
        // Inside: (0.4 -> -0.2) wrong, (-0.4 -> -0.1) right.
        var m = TaskMetrics.Compute(MetricsTask.Sims, [0.4f, -0.4f, 0.6f, -1f], [-0.2f, -0.1f, 0.8f, -1f]);

        Assert.Equal(0.5, m[MetricKeys.Acc2Weak]);
        Assert.Equal(0.75, m[MetricKeys.Acc2]);
    }

    [Fact]
    public void Compute_NoWeakTruth_WeakAcc2IsNaN()
    {
        var m = TaskMetrics.Compute(MetricsTask.Sims, [0.8f, -1f], [0.8f, 1f]);

        Assert.True(double.IsNaN(m[MetricKeys.Acc2Weak]));
    }

    [Fact]
    public void Compute_ConstantTruth_R2FollowsSklearn()
    {
        // SS_tot = 0: sklearn gives 1 for a perfect prediction and 0 otherwise.
        Assert.Equal(1.0, TaskMetrics.Compute(MetricsTask.Sims, [0.4f, 0.4f], [0.4f, 0.4f])[MetricKeys.R2]);
        Assert.Equal(0.0, TaskMetrics.Compute(MetricsTask.Sims, [0.4f, 0.4f], [0.4f, 0.2f])[MetricKeys.R2]);
    }

    [Fact]
    public void Compute_OneSample_R2AndCorrAreNaN()
    {
        var m = TaskMetrics.Compute(MetricsTask.Sims, [0.4f], [0.2f]);

        Assert.True(double.IsNaN(m[MetricKeys.R2]));
        Assert.True(double.IsNaN(m[MetricKeys.Corr]));
    }

    [Fact]
    public void Compute_NaNPrediction_IsAWrongClassAndMakesMaeNaN()
    {
        // Truth bins (2-class) [1, 0]; the NaN prediction is in no bin. Class 0 F1 = 1 (support 1), class 1 F1 = 0
        // (support 1): weighted F1 = 0.5.
        var m = TaskMetrics.Compute(MetricsTask.Sims, [0.5f, -0.5f], [float.NaN, -0.5f]);

        Assert.Equal(0.5, m[MetricKeys.Acc2]);
        Assert.Equal(0.5, m[MetricKeys.F1]);
        Assert.True(double.IsNaN(m[MetricKeys.Mae]));
        Assert.True(double.IsNaN(m[MetricKeys.R2]));
    }
}
