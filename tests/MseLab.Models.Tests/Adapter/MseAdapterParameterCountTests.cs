using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;

namespace MseLab.Models.Tests.Adapter;

public sealed class MseAdapterParameterCountTests
{
    // The authors' logged "trainable params:" values (spec table 1.10).
    public static TheoryData<string, string, long> LoggedCounts => new()
    {
        { "llama2-7b", "mosei", 2_631_692 },
        { "llama2-7b", "simsv2", 2_680_716 },
        { "llama2-7b", "meld", 2_632_844 },
        { "llama2-7b", "cherma", 2_842_380 },
        { "chatglm3-6b-base", "mosei", 2_631_692 },
        { "chatglm3-6b-base", "simsv2", 2_680_716 },
        { "chatglm3-6b-base", "meld", 2_632_844 },
        { "chatglm3-6b-base", "cherma", 2_842_380 },
        { "qwen-1.8b", "mosei", 1_351_244 },
        { "qwen-1.8b", "simsv2", 1_400_268 },
        { "qwen-1.8b", "meld", 1_312_072 },
        { "qwen-1.8b", "cherma", 1_561_932 },
    };

    [Theory]
    [MemberData(nameof(LoggedCounts))]
    public void CountTrainableParameters_PaperPreset_EqualsLoggedCount(string backbone, string dataset, long logged)
    {
        var config = PaperPresets.Get(backbone, dataset).Adapter;

        var count = MseAdapter.CountTrainableParameters(config);

        Assert.Equal(logged, count.Total);
        Assert.Equal(logged, ClosedForm(config));
    }

    [Fact]
    public void CountTrainableParameters_PerModule_MatchesClosedFormTerms()
    {
        var config = PaperPresets.Get("chatglm3-6b-base", "cherma").Adapter;

        var count = MseAdapter.CountTrainableParameters(config);

        Assert.Equal(["audio_LSTM", "video_LSTM", "text_guide_mixer", "mutli_scale_fusion"], count.Modules.Select(m => m.Name));
        Assert.Equal(Lstm(config.AudioFeatureDim, config.AudioHidden), count.Modules[0].Parameters);
        Assert.Equal(Lstm(config.VideoFeatureDim, config.VideoHidden), count.Modules[1].Parameters);
        Assert.Equal((256L * config.HiddenSize) + 256, count.Modules[2].Parameters);
        Assert.Equal(count.Total, count.Modules.Sum(m => m.Parameters));
    }

    [Fact]
    public void CountTrainableParameters_CpuAdapter_EqualsMetaCount()
    {
        var config = new MseAdapterConfig(HiddenSize: 64, PseudoTokens: 3, AudioFeatureDim: 5, VideoFeatureDim: 7, AudioHidden: 6, VideoHidden: 4);
        using var adapter = new MseAdapter(config);

        var cpu = adapter.CountTrainableParameters();
        var meta = MseAdapter.CountTrainableParameters(config);

        Assert.Equal(meta.Total, cpu.Total);
        Assert.Equal(meta.Modules, cpu.Modules);
        Assert.Equal(ClosedForm(config), cpu.Total);
    }

    [Fact]
    public void CountTrainableParameters_FrozenBlock_IsNotCounted()
    {
        var config = new MseAdapterConfig(64, 3, 5, 7, 6, 4);
        using var adapter = new MseAdapter(config);
        var before = adapter.CountTrainableParameters();
        foreach (var (name, parameter) in adapter.named_parameters().Where(p => p.name.StartsWith("audio_LSTM.", StringComparison.Ordinal)))
        {
            parameter.requires_grad = false;
        }

        var after = adapter.CountTrainableParameters();

        Assert.Equal(0, after.Modules[0].Parameters);
        Assert.Equal(before.Total - before.Modules[0].Parameters, after.Total);
    }

    // Spec 1.10, written independently of the modules:
    // LSTM_m = 4H(d + H + 2); Lin_m = 256H + 256; TGM = 256D + 256;
    // MSF = sum_k [(256 D/k + D/k) + (D/k * 256 + 256)] + 4 + (256 D + D) + 2P.
    private static long ClosedForm(MseAdapterConfig c)
    {
        long d = c.HiddenSize;
        var msf = new long[] { 8, 16, 32 }.Sum(k => (256 * (d / k)) + (d / k) + ((d / k) * 256) + 256) + 4 + (256 * d) + d + (2L * c.PseudoTokens);
        return Lstm(c.AudioFeatureDim, c.AudioHidden) + Lstm(c.VideoFeatureDim, c.VideoHidden) + (256 * d) + 256 + msf;
    }

    private static long Lstm(long d, long h) => (4 * h * (d + h + 2)) + (256 * h) + 256;
}
