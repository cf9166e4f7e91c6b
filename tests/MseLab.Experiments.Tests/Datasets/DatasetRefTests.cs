using MseLab.Experiments.Datasets;

namespace MseLab.Experiments.Tests.Datasets;

public sealed class DatasetRefTests
{
    [Theory]
    [InlineData("synthetic:mosei", "synthetic:mosei")]
    [InlineData("SYNTHETIC:Meld", "synthetic:meld")]
    [InlineData("synthetic:mosei?test=64&train=160&valid=48", "synthetic:mosei?train=160&valid=48&test=64")]
    [InlineData("synthetic:cherma?train=480&seed=3", "synthetic:cherma?seed=3")]
    public void Parse_AnySpelling_CanonicalText(string text, string canonical)
    {
        var dataset = DatasetRef.Parse(text);

        Assert.Equal(canonical, dataset.ToString());
        Assert.Equal(dataset, DatasetRef.Parse(canonical));
    }

    [Fact]
    public void Parse_Synthetic_HasThePaperDatasetsShapesAndSizes()
    {
        var dataset = Assert.IsType<SyntheticDatasetRef>(DatasetRef.Parse("synthetic:simsv2?train=7&valid=3&test=2&seed=9"));

        Assert.Equal((PaperDataset.SimsV2, 7, 3, 2, 9), (dataset.Paper, dataset.Train, dataset.Valid, dataset.Test, dataset.Seed));
        Assert.Equal((925, 25, 232, 177, TaskKind.Regression), (dataset.Info.AudioSteps, dataset.Info.AudioDim, dataset.Info.VideoSteps, dataset.Info.VideoDim, dataset.Info.Kind));
        Assert.Equal("synthetic:simsv2", dataset.Label);
    }

    [Theory]
    [InlineData("mosei", "is not known")]
    [InlineData("synthetic:iemocap", "Unknown dataset 'iemocap' in 'synthetic:iemocap'. Valid datasets: mosei, simsv2, meld, cherma")]
    [InlineData("synthetic:mosei?train=x", "'train=x' must be key=non-negative integer")]
    [InlineData("synthetic:mosei?epochs=3", "unknown parameter 'epochs'")]
    [InlineData("synthetic:mosei?test=0", "every split needs at least one sample")]
    [InlineData("synthetic:mosei?train=5&train=6", "'train' is given twice")]
    public void TryParse_Invalid_SaysWhy(string text, string reason)
    {
        Assert.False(DatasetRef.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains(reason, Assert.Throws<FormatException>(() => DatasetRef.Parse(text)).Message, StringComparison.Ordinal);
    }
}
