using System.Globalization;
using System.Text.Json;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Readers;

/// <summary>
/// DatasetSummaries.Of against the numpy reference (make_datasets.py re-reads each file with pickle.load, applies the
/// official loader's astype and cleaning, then sums with .astype(np.float64).sum()), compared as the JSON
/// <c>mselab data inspect --json</c> prints.
/// </summary>
public sealed class DatasetSummariesTests(GeneratedDatasets data) : IClassFixture<GeneratedDatasets>
{
    public static TheoryData<PaperDataset> AllDatasets { get; } = [.. Enum.GetValues<PaperDataset>()];

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void Of_GeneratedDataset_JsonMatchesNumpy(PaperDataset dataset)
    {
        var summary = DatasetSummaries.Of(DatasetReaders.Open(data.GoodRoot, dataset));

        using var actual = JsonDocument.Parse(JsonSerializer.Serialize(summary, DatasetSummaries.JsonOptions));
        AssertSameJson(data.ExpectedSummaryJson(dataset), actual.RootElement, PaperDatasets.Info(dataset).Name);
        Assert.Null(summary.Hash);
    }

    [Fact]
    public void Of_Mosei_NonFiniteSumsComeOutAsTheReferenceHasThem()
    {
        var summary = DatasetSummaries.Of(DatasetReaders.Open(data.GoodRoot, PaperDataset.Mosei));

        // Train keeps a +inf in each modality, valid a -inf in vision, test a NaN in audio (datasets.md §2 cleaning).
        Assert.Equal(double.PositiveInfinity, summary.Splits["train"].AudioSum);
        Assert.Equal(double.PositiveInfinity, summary.Splits["train"].VisionSum);
        Assert.True(double.IsFinite(summary.Splits["valid"].AudioSum));
        Assert.Equal(double.NegativeInfinity, summary.Splits["valid"].VisionSum);
        Assert.True(double.IsNaN(summary.Splits["test"].AudioSum));
        Assert.True(double.IsFinite(summary.Splits["test"].VisionSum));
    }

    [Fact]
    public void JsonOptions_ReferenceJson_RoundTripsThroughTheRecords()
    {
        var expected = data.ExpectedSummaryJson(PaperDataset.Meld);

        var summary = expected.Deserialize<DatasetSummary>(DatasetSummaries.JsonOptions)!;

        Assert.Equal("meld", summary.Dataset);
        Assert.Equal(DatasetSplits.All, summary.Splits.Keys);
        Assert.Equal(7, summary.Splits["train"].Labels.Counts!.Count);
        Assert.Null(summary.Splits["train"].Labels.Mean);
        using var again = JsonDocument.Parse(JsonSerializer.Serialize(summary, DatasetSummaries.JsonOptions));
        AssertSameJson(expected, again.RootElement, "meld");
    }

    /// <summary>Same property names and order, same arrays, numbers within 1e-9 relative (numpy sums pairwise).</summary>
    private static void AssertSameJson(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind == JsonValueKind.Object)
        {
            Assert.Equal(JsonValueKind.Object, actual.ValueKind);

            // The reference has no content hash; DatasetSummaries.Of leaves it null for the cache to fill.
            var names = actual.EnumerateObject().Select(p => p.Name).Where(n => n != "hash");
            Assert.Equal(expected.EnumerateObject().Select(p => p.Name), names);
            foreach (var property in expected.EnumerateObject())
            {
                AssertSameJson(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array)
        {
            Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
            for (var i = 0; i < expected.GetArrayLength(); i++)
            {
                AssertSameJson(expected[i], actual[i], $"{path}[{i}]");
            }
        }
        else if (expected.ValueKind == JsonValueKind.String && !double.TryParse(expected.GetString(), CultureInfo.InvariantCulture, out _))
        {
            Assert.Equal(expected.GetString(), actual.GetString());
        }
        else
        {
            GeneratedDatasets.AssertClose(GeneratedDatasets.Number(expected), GeneratedDatasets.Number(actual), path);
        }
    }
}
