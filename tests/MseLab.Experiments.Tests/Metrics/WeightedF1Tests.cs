using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class WeightedF1Tests
{
    [Fact]
    public void Compute_ThreeClasses_WeightsByTrueSupport()
    {
        // truth 0 0 0 1 1 2, prediction 0 0 1 1 2 2.
        // class 0: tp 2, predicted 2, support 3 -> P 1,   R 2/3, F1 = 2*(2/3)/(5/3) = 0.8
        // class 1: tp 1, predicted 2, support 2 -> P 1/2, R 1/2, F1 = 1/2
        // class 2: tp 1, predicted 2, support 1 -> P 1/2, R 1,   F1 = 2/3
        // weighted: (3*0.8 + 2*0.5 + 1*2/3) / 6 = (61/15) / 6 = 61/90
        var f1 = WeightedF1.Compute([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);

        Assert.Equal(61.0 / 90.0, f1, 12);
    }

    [Fact]
    public void Compute_LabelOnlyInPredictions_HasZeroWeightButCostsRecall()
    {
        // Labels {0, 1, 5}. class 0: tp 1, predicted 1, support 2 -> P 1, R 1/2, F1 2/3.
        // class 1: F1 1, support 2. class 5: support 0, weight 0. Weighted: (2*2/3 + 2*1) / 4 = 5/6.
        var f1 = WeightedF1.Compute([0, 0, 1, 1], [0, 5, 1, 1]);

        Assert.Equal(5.0 / 6.0, f1, 12);
    }

    [Fact]
    public void Compute_ClassNeverPredicted_ContributesZero()
    {
        // class 0: nothing predicted -> P 0 (zero division), R 0 -> F1 0. class 1: P 1/2, R 1 -> F1 2/3.
        // Weighted: (1*0 + 1*2/3) / 2 = 1/3.
        var f1 = WeightedF1.Compute([0, 1], [1, 1]);

        Assert.Equal(1.0 / 3.0, f1, 12);
    }

    [Fact]
    public void Compute_NegativeZeroAndIntegralFloats_AreTheSameClass()
    {
        Assert.Equal(1.0, WeightedF1.Compute([0, 3], [-0.0, 3.0]));
    }

    [Fact]
    public void Compute_SingleClassEverywhere_IsOne()
    {
        Assert.Equal(1.0, WeightedF1.Compute([1, 1, 1], [1, 1, 1]));
    }
}
