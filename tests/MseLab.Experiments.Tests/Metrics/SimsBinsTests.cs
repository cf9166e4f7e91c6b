using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class SimsBinsTests
{
    [Theory]
    // -0.1f is not > -0.1f: it closes the bin (-0.7, -0.1] of acc5 and (-1.01, -0.1] of acc3.
    [InlineData(-0.1f, 0, 1)]
    // 0.1f = 0.10000000149 is > 0.1 in double but not > 0.1f: in float32 it stays in the middle bin.
    [InlineData(0.1f, 1, 2)]
    // -0.7f = -0.69999999 is > -0.7 in double but not > -0.7f: in float32 it is in the lowest acc5 bin.
    [InlineData(-0.7f, 0, 0)]
    [InlineData(0.7f, 2, 3)]
    [InlineData(0f, 1, 2)]
    [InlineData(-1f, 0, 0)]
    [InlineData(1f, 2, 4)]
    public void Of_ValueOnThreshold_UsesFloat32Comparison(float value, int threeClass, int fiveClass)
    {
        Assert.Equal(threeClass, SimsBins.Of(value, SimsBins.ThreeClass));
        Assert.Equal(fiveClass, SimsBins.Of(value, SimsBins.FiveClass));
    }

    [Fact]
    public void Of_JustAboveMinusPointOne_MovesToTheNextBin()
    {
        var above = MathF.BitIncrement(-0.1f);

        Assert.Equal(1, SimsBins.Of(above, SimsBins.ThreeClass));
        Assert.Equal(2, SimsBins.Of(above, SimsBins.FiveClass));
    }

    [Fact]
    public void Of_ZeroInTwoClass_IsNegativeBin()
    {
        Assert.Equal(0, SimsBins.Of(0f, SimsBins.TwoClass));
        Assert.Equal(0, SimsBins.Of(-0f, SimsBins.TwoClass));
        Assert.Equal(1, SimsBins.Of(-0f, SimsBins.ThreeClass));
        Assert.Equal(1, SimsBins.Of(float.Epsilon, SimsBins.TwoClass));
    }

    [Fact]
    public void Of_NaN_IsInNoBin()
    {
        Assert.Equal(-1, SimsBins.Of(float.NaN, SimsBins.FiveClass));
    }
}
