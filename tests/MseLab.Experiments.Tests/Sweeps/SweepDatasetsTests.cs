using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;

namespace MseLab.Experiments.Tests.Sweeps;

/// <summary>Stored datasets and <c>data_root</c> in sweep files, and what a dataset's content hash does to trial identity.</summary>
public sealed class SweepDatasetsTests
{
    private const string HashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string HashB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private const string Sweep = """
        name: stored
        base: {max_epochs: 4}
        backbones: [tiny]
        datasets: [mosei, MELD, synthetic:mosei]
        seeds: [1111]
        """;

    private static string File => Path.Combine(Path.GetTempPath(), "lab", "sweeps", "s.yaml");

    [Fact]
    public void Parse_StoredDatasets_AreParsedBesideSyntheticOnes()
    {
        var sweep = SweepParser.Parse(Sweep, File);

        Assert.Equal(["mosei", "meld", "synthetic:mosei"], sweep.Datasets.Select(d => d.ToString()));
        Assert.Equal([typeof(StoredDatasetRef), typeof(StoredDatasetRef), typeof(SyntheticDatasetRef)], sweep.Datasets.Select(d => d.GetType()));
        Assert.Null(sweep.DataRoot);
    }

    [Theory]
    [InlineData("../data", "lab/data")]
    [InlineData("data/mse", "lab/sweeps/data/mse")]
    [InlineData(".", "lab/sweeps")]
    public void Parse_RelativeDataRoot_IsUnderTheSweepFilesFolder(string written, string expected)
    {
        var sweep = SweepParser.Parse(Sweep + $"\ndata_root: {written}\n", File);

        Assert.Equal(Path.Combine(Path.GetTempPath(), expected), sweep.DataRoot);
    }

    [Fact]
    public void Parse_AbsoluteDataRoot_IsKept()
    {
        var sweep = SweepParser.Parse(Sweep + "\ndata_root: /srv/mse/data\n", File);

        Assert.Equal("/srv/mse/data", sweep.DataRoot);
    }

    [Theory]
    [InlineData("data_root: [a, b]", 6, 12, "'data_root' must be a plain value")]
    [InlineData("data_root: {path: a}", 6, 12, "'data_root' must be a plain value")]
    [InlineData("data_root: ''", 6, 12, "'data_root' must be a plain value")]
    [InlineData("data-root: /x", 6, 1, "unknown key 'data-root' in top level")]
    public void Parse_BadDataRoot_ErrorAtItsLineAndColumn(string line, int row, int column, string message)
    {
        var error = Assert.Throws<SweepValidationException>(() => SweepParser.Parse(Sweep + "\n" + line + "\n", "s.yaml")).Errors.Single();

        Assert.Equal((row, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"s.yaml:{row}:{column}:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadStoredHash_ErrorAtTheDatasetWithTheForms()
    {
        var errors = Assert.Throws<SweepValidationException>(() => SweepParser.Parse(Sweep.Replace("MELD", "meld@123", StringComparison.Ordinal), "s.yaml")).Errors;

        var error = Assert.Single(errors);
        Assert.Equal(4, error.Line);
        Assert.Contains("64 hex digits, not '123'", error.Message, StringComparison.Ordinal);
        Assert.Contains("e.g. mosei, meld, synthetic:mosei", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_PinnedStoredDataset_HashIsInTheKeyAndConfiguration()
    {
        static SweepTrial Cell(string dataset) => SweepExpander.Expand(SweepParser.Parse(Sweep.Replace("[mosei, MELD, synthetic:mosei]", $"[{dataset}]", StringComparison.Ordinal), "s.yaml")).Single();

        var a = Cell($"mosei@{HashA}");
        var b = Cell($"mosei@{HashB}");
        var unpinned = Cell("mosei");

        Assert.Contains($"\"Dataset\":\"mosei@{HashA}\"", a.Resolved.CanonicalJson(), StringComparison.Ordinal);
        Assert.Contains($"\"Dataset\":\"mosei@{HashA}\"", System.Text.Json.JsonSerializer.Serialize(a.Config), StringComparison.Ordinal);
        Assert.NotEqual(a.Key, b.Key);   // another copy of the data is another cell
        Assert.NotEqual(a.SeedGroup, b.SeedGroup);
        Assert.NotEqual(a.Key, unpinned.Key);
        Assert.Equal(a.Key, Cell($"MOSEI@{HashA.ToUpperInvariant()}").Key);
        // The dataset is the only difference: the same paper defaults (MOSEI's) resolve for stored and synthetic data.
        Assert.Equal(Cell("synthetic:mosei").Resolved with { Dataset = a.Resolved.Dataset }, a.Resolved);
    }

    [Fact]
    public void Expand_DataRoot_DoesNotChangeTheKeysOfSyntheticCells()
    {
        // The key earlier releases stored for this cell (TrialIdentityTests): data_root is where to hash, not what runs.
        const string Quickstart = """
            name: identity
            base: {warm_up_epochs: 3, max_epochs: 4, early_stop: 3}
            backbones: [tiny]
            datasets: [synthetic:mosei?train=160&valid=48&test=64]
            grid: {lr: [5e-4]}
            seeds: [1111]
            data_root: /srv/data
            """;

        var cell = SweepExpander.Expand(SweepParser.Parse(Quickstart, "s.yaml")).Single();

        Assert.Equal("305908d43c165b9592b0a62fd0c5972101f26772519382f72951f03d72972c7f", cell.Key);
    }
}
