using MseLab.Datasets.Pickles;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Readers;

/// <summary>
/// Every bad case make_datasets.py writes (one data root each): where the official code is silent or fails late, the
/// reader stops with the file, split, key and sample named.
/// </summary>
public sealed class DatasetReadErrorTests(GeneratedDatasets data) : IClassFixture<GeneratedDatasets>
{
    [Fact]
    public void Open_MissingSplitFile_ListsTheLayout()
    {
        var root = data.BadRoot("missing_file");

        var error = Assert.Throws<FileNotFoundException>(() => DatasetReaders.Open(root, PaperDataset.Meld));

        Assert.Equal(DatasetLayout.Files(root, PaperDataset.Meld)[1], error.FileName);
        Assert.Contains(Path.GetFullPath(root), error.Message, StringComparison.Ordinal);
        Assert.Contains("MELD/meld_train.pkl" + Environment.NewLine, error.Message, StringComparison.Ordinal);
        Assert.Contains("MELD/meld_valid.pkl   (missing)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Found there: MELD/meld_test.pkl, MELD/meld_train.pkl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HuggingFaceFolderName_PointsAtTheSibling()
    {
        var error = Assert.Throws<FileNotFoundException>(() => DatasetReaders.Open(data.BadRoot("hf_folder_name"), PaperDataset.Mosei));

        Assert.Contains("MOSEI/Processed/unaligned_50.pkl   (missing)", error.Message, StringComparison.Ordinal);
        Assert.Contains("there is MOSEI_processed/", error.Message, StringComparison.Ordinal);
        Assert.Contains("ln -s MOSEI_processed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RootThatDoesNotExist_SaysSo()
    {
        var root = Path.Combine(data.BadRoot("missing_file"), "no-such-root");

        var error = Assert.Throws<FileNotFoundException>(() => DatasetReaders.Open(root, PaperDataset.Cherma));

        Assert.Contains("CHERMA0723/cherma_train.pkl   (missing)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"The data root {root} does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SplitNamedDev_ListsTheKeysFound() =>
        AssertRead("missing_split", PaperDataset.Mosei, "has no split 'valid'", "'train', 'test', 'dev'");

    [Fact]
    public void Open_TruncatedFile_IsAPickleFormatError()
    {
        var root = data.BadRoot("truncated");

        var error = Assert.Throws<PickleFormatException>(() => DatasetReaders.Open(root, PaperDataset.Mosei));

        Assert.Equal(DatasetLayout.Files(root, PaperDataset.Mosei)[0], error.File);
    }

    [Fact]
    public void Open_VisionWithOneSampleFewer_NamesTheKeyAndTheMissingSample() =>
        AssertRead("mismatched_n", PaperDataset.Mosei, "split 'train', key 'vision', sample 6:", "has 6 samples but 'regression_labels' has 7");

    [Fact]
    public void Open_SplitWithoutId_SaysTheOfficialCodeReadsIt() =>
        AssertRead("missing_id", PaperDataset.SimsV2, "split 'valid': missing key 'id'", "'raw_text', 'audio', 'vision'");

    [Fact]
    public void Open_RaggedItem_NamesTheItemAndBothShapes() =>
        AssertRead("ragged", PaperDataset.Meld, "split 'test', key 'features.audio', sample 3:", "shape (4, 64) but sample 0 has (5, 64)", "meld_test.pkl");

    [Fact]
    public void Open_LengthZero_NamesTheSample() =>
        AssertRead("length_zero", PaperDataset.Mosei, "split 'valid', key 'vision_lengths', sample 2:", "the length is 0, outside 1..5");

    [Fact]
    public void Open_LengthPastThePaddedFrames_NamesTheSample() =>
        AssertRead("length_over", PaperDataset.Meld, "split 'train', key 'features.audio_len', sample 4:", "the length is 6, outside 1..5", "meld_train.pkl");

    [Fact]
    public void Open_AudioNarrowerThanTheConfiguration_NamesTheConfigValue() =>
        AssertRead("wrong_width", PaperDataset.SimsV2, "split 'train', key 'audio':", "each frame has 24 values", "feature_dims[1] (audio) = 25");

    [Fact]
    public void Open_ItemVideoNarrowerThanTheConfiguration_NamesTheItemAndTheConfigValue() =>
        AssertRead(
            "wrong_width_erc",
            PaperDataset.Cherma,
            "split 'train', key 'features.video', sample 0:",
            "each frame has 2000 values",
            "feature_dims[2] (video) = 2048",
            "cherma_train.pkl");

    [Fact]
    public void Open_UnknownLabel_NamesTheStringAndTheValidOnes() =>
        AssertRead(
            "unknown_label",
            PaperDataset.Meld,
            "split 'valid', key 'label', sample 2:",
            "the label 'Joy' is not one of meld's classes ('neutral', 'surprise', 'fear', 'sadness', 'joy', 'disgust', 'anger'",
            "meld_valid.pkl");

    [Fact]
    public void Open_ItemWithoutVideoLength_NamesTheItemAndTheKey() =>
        AssertRead("missing_feature", PaperDataset.Meld, "split 'train', key 'features.video_len', sample 1:", "have no 'video_len'", "meld_train.pkl");

    [Fact]
    public void Open_NaNRegressionLabel_NamesTheSample() =>
        AssertRead("nan_label", PaperDataset.Mosi, "split 'test', key 'regression_labels', sample 3:", "NaN");

    [Fact]
    public void Open_TextThatIsNone_NamesTheSample() =>
        AssertRead("text_not_string", PaperDataset.Sims, "split 'train', key 'raw_text', sample 1:", "expected a str, found None");

    [Fact]
    public void Open_ListWhereTheMmsaDictBelongs_SaysWhatWasFound() =>
        AssertRead("not_a_dict", PaperDataset.Mosei, "expected an MMSA pickle", "found a list");

    [Fact]
    public void Open_FileNamingPosixSystem_RefusesItAndRunsNothing()
    {
        var root = data.BadRoot("malicious");
        var before = Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var error = Assert.Throws<UnsafePickleException>(() => DatasetReaders.Open(root, PaperDataset.Mosei));

        Assert.Equal("posix.system", error.Global);
        Assert.Equal(DatasetLayout.Files(root, PaperDataset.Mosei)[0], error.File);
        Assert.False(File.Exists(Path.Combine(root, "PWNED")), "the payload ran: its marker file exists");
        Assert.Equal(before, Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    /// <summary>Reads a bad case and checks the message names its file (the dataset's only file, or the one given) and the parts.</summary>
    private void AssertRead(string caseName, PaperDataset dataset, params string[] parts)
    {
        var root = data.BadRoot(caseName);
        var files = DatasetLayout.Files(root, dataset);

        var error = Assert.Throws<DatasetReadException>(() => DatasetReaders.Open(root, dataset));

        var fileName = parts.FirstOrDefault(p => p.EndsWith(".pkl", StringComparison.Ordinal));
        var file = fileName is null ? files[0] : files.Single(f => f.EndsWith(fileName, StringComparison.Ordinal));
        Assert.StartsWith(file + ":", error.Message, StringComparison.Ordinal);
        foreach (var part in parts.Where(p => p != fileName))
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }
}
