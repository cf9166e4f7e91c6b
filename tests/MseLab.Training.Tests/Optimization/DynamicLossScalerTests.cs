using MseLab.Training.Optimization;
using static TorchSharp.torch;

namespace MseLab.Training.Tests.Optimization;

/// <summary>The GradScaler rules (torch.cuda.amp.GradScaler with its defaults, and _amp_update_scale_), step by step.</summary>
public sealed class DynamicLossScalerTests
{
    [Fact]
    public void Defaults_AreGradScalers()
    {
        var scaler = new DynamicLossScaler();

        Assert.Equal((65536f, 2f, 0.5f, 2000, 0), (scaler.Scale, scaler.GrowthFactor, scaler.BackoffFactor, scaler.GrowthInterval, scaler.GrowthTracker));
    }

    [Fact]
    public void Update_InfStep_HalvesTheScaleResetsTheTrackerAndCountsASkip()
    {
        var scaler = new DynamicLossScaler();
        for (var i = 0; i < 1500; i++)
        {
            scaler.Update(foundInf: false);
        }

        scaler.Update(foundInf: true);

        Assert.Equal((32768f, 0, 1L), (scaler.Scale, scaler.GrowthTracker, scaler.SkippedSteps));
    }

    [Fact]
    public void Update_GrowthIntervalFiniteStepsInARow_DoublesTheScaleOnce()
    {
        var scaler = new DynamicLossScaler();
        for (var i = 0; i < 1999; i++)
        {
            scaler.Update(foundInf: false);
        }

        Assert.Equal((65536f, 1999), (scaler.Scale, scaler.GrowthTracker));
        scaler.Update(foundInf: false);
        Assert.Equal((131072f, 0), (scaler.Scale, scaler.GrowthTracker));

        // An overflow in between restarts the count: 2000 more finite steps are needed.
        scaler.Update(foundInf: true);
        for (var i = 0; i < 1999; i++)
        {
            scaler.Update(foundInf: false);
        }

        Assert.Equal(65536f, scaler.Scale);
        scaler.Update(foundInf: false);
        Assert.Equal(131072f, scaler.Scale);
    }

    [Fact]
    public void Update_OverflowsInARow_HalveEachTime()
    {
        var scaler = new DynamicLossScaler();

        for (var i = 0; i < 20; i++)
        {
            scaler.Update(foundInf: true);
        }

        Assert.Equal(65536f / (1 << 20), scaler.Scale);
        Assert.Equal(20, scaler.SkippedSteps);
    }

    [Fact]
    public void Update_GrowthPastFloatMax_KeepsTheScale()
    {
        var scaler = new DynamicLossScaler(initialScale: 2e38f, growthInterval: 1);

        scaler.Update(foundInf: false);

        Assert.Equal((2e38f, 0), (scaler.Scale, scaler.GrowthTracker));
    }

    [Fact]
    public void ScaleLossThenUnscale_FiniteGradients_AreTheUnscaledOnesAndReportedFinite()
    {
        using var scope = NewDisposeScope();
        var scaler = new DynamicLossScaler(initialScale: 1024f);
        var weight = tensor(new[] { 0.5f, -2f, 3f }).requires_grad_();
        var noGrad = tensor(new[] { 1f }).requires_grad_();
        var loss = weight.mul(weight).sum();

        scaler.ScaleLoss(loss).backward();
        Assert.Equal(new[] { 1024f, -4096f, 6144f }, weight.grad!.data<float>().ToArray());
        var finite = scaler.Unscale([weight, noGrad]);

        Assert.True(finite);
        Assert.Equal(new[] { 1f, -4f, 6f }, weight.grad!.data<float>().ToArray());
        Assert.Null(noGrad.grad);
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    public void Unscale_NonFiniteGradientInAnyParameter_ReportsIt(float bad)
    {
        using var scope = NewDisposeScope();
        var scaler = new DynamicLossScaler();
        var first = tensor(new[] { 1f, 2f }).requires_grad_();
        var second = tensor(new[] { 1f, 2f }).requires_grad_();
        first.grad = tensor(new[] { 65536f, 0f });
        second.grad = tensor(new[] { 1f, bad });

        Assert.False(scaler.Unscale([first, second]));
        Assert.Equal(new[] { 1f, 0f }, first.grad!.data<float>().ToArray());
    }
}
