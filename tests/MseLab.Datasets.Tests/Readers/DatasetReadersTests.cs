using System.Text.Json;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Readers;

/// <summary>
/// The six datasets, written by Python's pickle with the container and dtype variants of datasets.md §6, read back and
/// compared with what numpy computes from the same files with the official loader's operations (make_datasets.py).
/// </summary>
public sealed class DatasetReadersTests(GeneratedDatasets data) : IClassFixture<GeneratedDatasets>
{
    public static TheoryData<PaperDataset> AllDatasets { get; } = [.. Enum.GetValues<PaperDataset>()];

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void Open_GeneratedDataset_HasTheLayoutFilesAndThreeSplits(PaperDataset dataset)
    {
        var source = DatasetReaders.Open(data.GoodRoot, dataset);

        Assert.Equal(dataset, source.Dataset);
        Assert.Equal(Path.GetFullPath(data.GoodRoot), source.Root);
        Assert.Equal(DatasetLayout.Files(data.GoodRoot, dataset), source.Files);
        Assert.Equal(DatasetSplits.All, source.Splits.Select(s => s.Name));
    }

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void Open_GeneratedDataset_TextsIdsLabelsAndLengthsMatchNumpy(PaperDataset dataset)
    {
        var source = DatasetReaders.Open(data.GoodRoot, dataset);

        foreach (var split in source.Splits)
        {
            var expected = data.ExpectedSamples(dataset, split.Name);
            Assert.Equal(Strings(expected.GetProperty("texts")), split.Texts);
            if (source.Info.IsClassification)
            {
                Assert.Null(split.Ids);
            }
            else
            {
                Assert.Equal(Strings(expected.GetProperty("ids")), split.Ids);
            }

            // Regression labels are float32 values (exact in the JSON's float64); class indices are whole numbers.
            Assert.Equal(expected.GetProperty("labels").EnumerateArray().Select(v => v.GetDouble()), split.Labels.Select(v => (double)v));
            Assert.Equal(expected.GetProperty("audio_lengths").EnumerateArray().Select(v => v.GetInt32()), split.AudioLengths);
            Assert.Equal(expected.GetProperty("vision_lengths").EnumerateArray().Select(v => v.GetInt32()), split.VisionLengths);
        }
    }

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void CopySample_GeneratedDataset_EverySampleAndProbeMatchesNumpy(PaperDataset dataset)
    {
        var source = DatasetReaders.Open(data.GoodRoot, dataset);

        foreach (var split in source.Splits)
        {
            var expected = data.ExpectedSamples(dataset, split.Name);
            var features = new Dictionary<string, FeatureSource> { ["audio"] = split.Audio, ["vision"] = split.Vision };
            foreach (var (modality, feature) in features)
            {
                var sums = expected.GetProperty($"{modality}_sample_sums").EnumerateArray().Select(GeneratedDatasets.Number).ToList();
                Assert.Equal(sums.Count, feature.Count);
                for (var i = 0; i < sums.Count; i++)
                {
                    GeneratedDatasets.AssertClose(sums[i], Sample(feature, i).Sum(v => (double)v), $"{dataset} {split.Name} {modality} sample {i}");
                }
            }

            // Planted -inf/NaN/+inf places, and places a transposed (Fortran) or mis-strided read would get wrong.
            foreach (var probe in expected.GetProperty("probes").EnumerateArray())
            {
                var modality = probe[0].GetString()!;
                var (index, flat) = (probe[1].GetInt32(), probe[2].GetInt32());
                var value = (double)Sample(features[modality], index)[flat];
                var want = GeneratedDatasets.Number(probe[3]);
                Assert.True(want.Equals(value), $"{dataset} {split.Name} {modality} sample {index} [{flat}]: expected {want}, got {value}");
            }
        }
    }

    [Fact]
    public void CopySample_Mosei_ZeroesOnlyAudioNegativeInfinityAndVisionNaN()
    {
        var source = DatasetReaders.Open(data.GoodRoot, PaperDataset.Mosei);
        var audio = source.Splits.SelectMany(s => Enumerable.Range(0, s.Count).SelectMany(i => Sample(s.Audio, i))).ToList();
        var vision = source.Splits.SelectMany(s => Enumerable.Range(0, s.Count).SelectMany(i => Sample(s.Vision, i))).ToList();

        // The file has -inf, +inf and NaN in both modalities (make_datasets.py plants them); the official loader zeroes
        // audio -inf and vision NaN only.
        Assert.DoesNotContain(audio, float.IsNegativeInfinity);
        Assert.Contains(audio, float.IsPositiveInfinity);
        Assert.Contains(audio, float.IsNaN);
        Assert.DoesNotContain(vision, float.IsNaN);
        Assert.Contains(vision, float.IsPositiveInfinity);
        Assert.Contains(vision, float.IsNegativeInfinity);
    }

    [Fact]
    public void CopySample_Meld_LeavesNegativeInfinityAndNaNAsTheyAre()
    {
        var train = DatasetReaders.Open(data.GoodRoot, PaperDataset.Meld).Splits[0];

        // make_datasets.py plants a -inf in item 0's audio and a NaN in item 1's video: the official code cleans nothing here.
        Assert.Contains(Sample(train.Audio, 0), float.IsNegativeInfinity);
        Assert.Contains(Sample(train.Vision, 1), float.IsNaN);
    }

    [Fact]
    public void CopySample_OutsideTheSplitOrShortDestination_Throws()
    {
        var train = DatasetReaders.Open(data.GoodRoot, PaperDataset.Mosi).Splits[0];
        var buffer = new float[train.Audio.Steps * train.Audio.Width];

        Assert.Throws<ArgumentOutOfRangeException>(() => train.Audio.CopySample(0, buffer.AsSpan(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => train.Audio.CopySample(train.Count, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => train.Audio.CopySample(-1, buffer));
    }

    private static float[] Sample(FeatureSource source, int index)
    {
        var sample = new float[source.Steps * source.Width];
        source.CopySample(index, sample);
        return sample;
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetString()!)];
}
