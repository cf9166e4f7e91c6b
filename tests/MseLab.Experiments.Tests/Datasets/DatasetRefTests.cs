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
    [InlineData("iemocap", "Dataset 'iemocap' is not known: use NAME (the published files under a data root), NAME@SHA256")]
    [InlineData("", "A dataset is required")]
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

    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("mosei", "mosei")]
    [InlineData("MOSEI", "mosei")]
    [InlineData(" SimsV2 ", "simsv2")]
    [InlineData("Meld@0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789ABCDEF", "meld@" + Hash)]
    [InlineData("cherma@" + Hash, "cherma@" + Hash)]
    public void Parse_Stored_AnyCaseToCanonicalText(string text, string canonical)
    {
        var dataset = Assert.IsType<StoredDatasetRef>(DatasetRef.Parse(text));

        Assert.Equal(canonical, dataset.ToString());
        Assert.Equal(dataset, DatasetRef.Parse(canonical));
        Assert.Equal(canonical.Split('@')[0], dataset.Label);
    }

    [Fact]
    public void Parse_Stored_PinnedOrNotAndTheirIdentity()
    {
        var unpinned = Assert.IsType<StoredDatasetRef>(DatasetRef.Parse("mosei"));
        var pinned = Assert.IsType<StoredDatasetRef>(DatasetRef.Parse("mosei@" + Hash));

        Assert.Equal((PaperDataset.Mosei, null, false), (unpinned.Paper, unpinned.ContentHash, unpinned.IsPinned));
        Assert.Equal((PaperDataset.Mosei, Hash, true), (pinned.Paper, pinned.ContentHash, pinned.IsPinned));
        Assert.Equal(pinned, unpinned.Pin(Hash.ToUpperInvariant()));
        Assert.NotEqual<DatasetRef>(unpinned, pinned);
        Assert.NotEqual(pinned, unpinned.Pin(Hash.Replace('0', '1')));
        Assert.NotEqual<DatasetRef>(DatasetRef.Parse("synthetic:mosei"), unpinned);
        Assert.Equal((500, 74, 500, 35), (pinned.Info.AudioSteps, pinned.Info.AudioDim, pinned.Info.VideoSteps, pinned.Info.VideoDim));
    }

    [Theory]
    [InlineData("mosei@", "must be a SHA-256, 64 hex digits, not '' (0 characters)")]
    [InlineData("mosei@abc", "not 'abc' (3 characters)")]
    [InlineData("mosei@" + Hash + "0", "(65 characters)")]
    [InlineData("mosei@0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", "64 hex digits, not '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg'")]
    [InlineData("iemocap@" + Hash, "Dataset 'iemocap@" + Hash + "' is not known")]
    public void TryParse_StoredBadHash_SaysWhyAndHow(string text, string reason)
    {
        Assert.False(DatasetRef.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => DatasetRef.Parse(text));
    }

    [Fact]
    public void StoredDatasetRef_BadHashInCode_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new StoredDatasetRef(PaperDataset.Meld, "xyz"));

        Assert.Contains("64 hex digits", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new StoredDatasetRef(PaperDataset.Meld).Pin(Hash[..63]));
    }

    [Fact]
    public void Json_Stored_RoundTripsAsCanonicalText()
    {
        DatasetRef dataset = new StoredDatasetRef(PaperDataset.SimsV2, Hash);

        var json = System.Text.Json.JsonSerializer.Serialize(dataset);

        Assert.Equal($"\"simsv2@{Hash}\"", json);
        Assert.Equal(dataset, System.Text.Json.JsonSerializer.Deserialize<DatasetRef>(json));
    }

    [Theory]
    [InlineData("synthetic:mosei?train=64&valid=16", "synthetic:mosei")]
    [InlineData("mosei", "mosei")]
    [InlineData("mosei@672109045fde0686e7b1a2251d3e03787e0441eb82f4953049b5afad9bafcdd9", "mosei@672109045fde")]
    [InlineData("meld@abc", "meld@abc")]
    public void Display_DropsParametersAndShortensTheHash(string text, string shown)
    {
        Assert.Equal(shown, DatasetRef.Display(text));
    }
}
