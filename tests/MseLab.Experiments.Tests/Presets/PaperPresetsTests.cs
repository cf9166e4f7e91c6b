using MseLab.Experiments.Datasets;
using MseLab.Experiments.Presets;

namespace MseLab.Experiments.Tests.Presets;

public sealed class PaperPresetsTests
{
    [Fact]
    public void All_TwelveRuns_EveryBackboneDatasetPairOnce()
    {
        var pairs = PaperPresets.All.Select(p => (p.Backbone, p.Dataset)).ToList();

        Assert.Equal(12, pairs.Count);
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
        Assert.All(PaperPresets.All, p => p.Adapter.Validate());
    }

    [Fact]
    public void Get_QwenMeld_HasTwoPseudoTokensAndSmallLstms()
    {
        var preset = PaperPresets.Get("qwen-1.8b", "meld");

        Assert.Equal(new MseAdapterConfig(2048, 2, 64, 64, 32, 16), preset.Adapter);
        Assert.Equal((65, 16, 5e-4, 50, 8, 1, TaskKind.Classification),
            (preset.TextLength, preset.BatchSize, preset.LearningRate, preset.WarmUpEpochs, preset.EarlyStop, preset.MaxNewTokens, preset.Task));
    }

    [Fact]
    public void Get_Llama2Cherma_HasPaperSettings()
    {
        var preset = PaperPresets.Get("LLaMA2-7B", "CHERMA");

        Assert.Equal(new MseAdapterConfig(4096, 4, 1024, 2048, 32, 16), preset.Adapter);
        Assert.Equal((78, 6, 5e-5, 30, 8, 2), (preset.TextLength, preset.BatchSize, preset.LearningRate, preset.WarmUpEpochs, preset.EarlyStop, preset.MaxNewTokens));
    }

    [Theory]
    [InlineData("mosei", 74, 35, 50, TaskKind.Regression)]
    [InlineData("simsv2", 25, 177, 50, TaskKind.Regression)]
    [InlineData("meld", 64, 64, 65, TaskKind.Classification)]
    [InlineData("cherma", 1024, 2048, 78, TaskKind.Classification)]
    public void Get_Dataset_FeatureWidthsAndTextLengthSameForEveryBackbone(string dataset, int audio, int video, int textLength, TaskKind task)
    {
        foreach (var backbone in PaperPresets.Backbones)
        {
            var preset = PaperPresets.Get(backbone, dataset);
            Assert.Equal((audio, video, textLength, task), (preset.Adapter.AudioFeatureDim, preset.Adapter.VideoFeatureDim, preset.TextLength, preset.Task));
        }
    }

    [Theory]
    [InlineData("mosi", "mosei", 5, 20, 50)]
    [InlineData("sims", "simsv2", 33, 709, 39)]
    public void Get_DatasetOutsideThePaper_TakesItsSiblingsHyperparametersWithItsOwnShapes(string dataset, string sibling, int audio, int video, int textLength)
    {
        foreach (var backbone in PaperPresets.Backbones)
        {
            var preset = PaperPresets.Get(backbone, dataset);
            var borrowed = PaperPresets.Get(backbone, sibling);

            Assert.Equal(PaperDatasets.Parse(dataset), preset.Dataset);
            Assert.Equal((audio, video, textLength), (preset.Adapter.AudioFeatureDim, preset.Adapter.VideoFeatureDim, preset.TextLength));
            Assert.Equal(
                (borrowed.BatchSize, borrowed.LearningRate, borrowed.WarmUpEpochs, borrowed.EarlyStop, borrowed.MaxNewTokens, borrowed.Adapter.PseudoTokens, borrowed.Adapter.AudioHidden, borrowed.Adapter.VideoHidden, borrowed.Task),
                (preset.BatchSize, preset.LearningRate, preset.WarmUpEpochs, preset.EarlyStop, preset.MaxNewTokens, preset.Adapter.PseudoTokens, preset.Adapter.AudioHidden, preset.Adapter.VideoHidden, preset.Task));
        }

        Assert.DoesNotContain(PaperPresets.All, p => p.Dataset == PaperDatasets.Parse(dataset));
        Assert.DoesNotContain(dataset, PaperPresets.Datasets);
    }

    [Fact]
    public void Get_UnknownBackbone_ListsValidBackbones()
    {
        var error = Assert.Throws<ArgumentException>(() => PaperPresets.Get("gpt2", "mosei"));

        Assert.Contains("Unknown backbone 'gpt2'. Valid backbones: llama2-7b, qwen-1.8b, chatglm3-6b-base.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownDataset_ListsValidDatasets()
    {
        var error = Assert.Throws<ArgumentException>(() => PaperPresets.Get("qwen-1.8b", "iemocap"));

        Assert.Contains("Unknown dataset 'iemocap'. Valid datasets: mosei, simsv2, meld, cherma, mosi, sims.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGet_UnknownName_ReturnsFalse()
    {
        Assert.False(PaperPresets.TryGet("qwen-1.8b", "iemocap", out var preset));
        Assert.Null(preset);
        Assert.True(PaperPresets.TryGet("chatglm3-6b-base", "simsv2", out preset));
        Assert.Equal(80, preset.WarmUpEpochs);
    }
}
