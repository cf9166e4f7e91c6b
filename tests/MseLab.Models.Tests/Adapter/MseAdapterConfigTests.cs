using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;

namespace MseLab.Models.Tests.Adapter;

public sealed class MseAdapterConfigTests
{
    [Fact]
    public void Validate_HiddenSizeNotDivisibleByScale_NamesDivisor()
    {
        var config = new MseAdapterConfig(HiddenSize: 48, PseudoTokens: 4, AudioFeatureDim: 5, VideoFeatureDim: 7, AudioHidden: 6, VideoHidden: 4);

        var error = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains("HiddenSize = 48 is not divisible by the multi-scale divisor 32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("divisor 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositiveSizes_NamesEach()
    {
        var config = new MseAdapterConfig(HiddenSize: 64, PseudoTokens: 0, AudioFeatureDim: 5, VideoFeatureDim: -1, AudioHidden: 6, VideoHidden: 4);

        var error = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains("PseudoTokens = 0 must be at least 1.", error.Message, StringComparison.Ordinal);
        Assert.Contains("VideoFeatureDim = -1 must be at least 1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidConfig_AdapterRefuses()
    {
        var config = new MseAdapterConfig(100, 4, 5, 7, 6, 4);

        Assert.Throws<ArgumentException>(() => new MseAdapter(config));
    }

    [Fact]
    public void ScaleHidden_PaperDefaults_AreDOver8Then32Then16()
    {
        var config = new MseAdapterConfig(4096, 4, 74, 35, 64, 32);

        Assert.Equal([8, 32, 16], MseAdapterConfig.Scales);
        Assert.Equal([512, 128, 256], Enumerable.Range(0, 3).Select(config.ScaleHidden));
        Assert.Equal(256, MseAdapterConfig.FusionSize);
    }
}
