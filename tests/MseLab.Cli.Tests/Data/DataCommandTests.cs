using System.Globalization;
using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;

namespace MseLab.Cli.Tests.Data;

/// <summary><c>mselab data inspect</c> and <c>data prepare</c>, run as the real program on files written by Python's pickle and numpy.</summary>
public sealed class DataCommandTests(GeneratedData data) : IClassFixture<GeneratedData>
{
    private static readonly string[] SplitKeys = ["n", "audio_shape", "vision_shape", "audio_lengths_sum", "vision_lengths_sum", "labels", "audio_sum", "vision_sum"];

    [Theory]
    [InlineData("mosei")]
    [InlineData("simsv2")]
    [InlineData("meld")]
    [InlineData("cherma")]
    [InlineData("mosi")]
    [InlineData("sims")]
    public void Inspect_Json_HasTheIssueShapeAndTheNumpyReferenceValues(string dataset)
    {
        var result = ProcessRunner.Mselab("data", "inspect", data.GoodRoot, "--dataset", dataset, "--json", "--cache", data.NewCache());

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(["dataset", "hash", "splits"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(dataset, root.GetProperty("dataset").GetString());
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("hash").GetString());
        var expected = data.Expected.RootElement.GetProperty("summaries").GetProperty(dataset).GetProperty("splits");
        Assert.Equal(["train", "valid", "test"], root.GetProperty("splits").EnumerateObject().Select(p => p.Name));
        foreach (var split in root.GetProperty("splits").EnumerateObject())
        {
            var want = expected.GetProperty(split.Name);
            var got = split.Value;
            Assert.Equal(SplitKeys, got.EnumerateObject().Select(p => p.Name));
            Assert.Equal(want.GetProperty("n").GetInt32(), got.GetProperty("n").GetInt32());
            foreach (var key in new[] { "audio_shape", "vision_shape" })
            {
                Assert.Equal(want.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()), got.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()));
            }

            Assert.Equal(want.GetProperty("audio_lengths_sum").GetInt64(), got.GetProperty("audio_lengths_sum").GetInt64());
            Assert.Equal(want.GetProperty("vision_lengths_sum").GetInt64(), got.GetProperty("vision_lengths_sum").GetInt64());
            Assert.Equal(
                want.GetProperty("labels").EnumerateObject().Select(p => p.Name),
                got.GetProperty("labels").EnumerateObject().Select(p => p.Name));
            foreach (var label in want.GetProperty("labels").EnumerateObject())
            {
                if (label.Name == "counts")
                {
                    Assert.Equal(
                        label.Value.EnumerateObject().Select(c => (c.Name, c.Value.GetInt32())),
                        got.GetProperty("labels").GetProperty("counts").EnumerateObject().Select(c => (c.Name, c.Value.GetInt32())));
                }
                else
                {
                    AssertClose(label.Value, got.GetProperty("labels").GetProperty(label.Name), $"{dataset} {split.Name} labels.{label.Name}");
                }
            }

            AssertClose(want.GetProperty("audio_sum"), got.GetProperty("audio_sum"), $"{dataset} {split.Name} audio_sum");
            AssertClose(want.GetProperty("vision_sum"), got.GetProperty("vision_sum"), $"{dataset} {split.Name} vision_sum");
        }
    }

    [Fact]
    public void Inspect_Table_NamesSplitsHashAndCacheFolder()
    {
        var cache = data.NewCache();

        var result = ProcessRunner.Mselab("data", "inspect", data.GoodRoot, "--dataset", "MELD", "--cache", cache);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("meld under", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("train", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hash ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(cache, "meld-"), result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_SecondRun_OpensTheCacheWithoutPreparing()
    {
        var cache = data.NewCache();
        var first = ProcessRunner.Mselab("data", "inspect", data.GoodRoot, "--dataset", "mosi", "--json", "--cache", cache);

        var second = ProcessRunner.Mselab("data", "inspect", data.GoodRoot, "--dataset", "mosi", "--json", "--cache", cache);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.StandardError + second.StandardError);
        Assert.Contains("100% of", first.StandardError, StringComparison.Ordinal);
        Assert.Equal("", second.StandardError);
        Assert.Equal(first.StandardOutput, second.StandardOutput);
    }

    [Fact]
    public void Prepare_NoDatasetNamed_PreparesEveryDatasetPresentThenFindsThemPrepared()
    {
        var cache = data.NewCache();

        var first = ProcessRunner.Mselab("data", "prepare", data.GoodRoot, "--cache", cache);
        var second = ProcessRunner.Mselab("data", "prepare", data.GoodRoot, "--cache", cache);

        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.True(second.ExitCode == 0, second.StandardError);
        string[] all = ["mosei", "simsv2", "meld", "cherma", "mosi", "sims"];
        Assert.Equal(all.Select(d => $"{d}: prepared"), Lines(first.StandardOutput).Select(l => string.Join(' ', l.Split(' ')[..2])));
        Assert.Equal(all.Select(d => $"{d}: already"), Lines(second.StandardOutput).Select(l => string.Join(' ', l.Split(' ')[..2])));
        Assert.Equal(6, Directory.GetDirectories(cache).Length);
    }

    [Fact]
    public async Task Prepare_TwoProcessesAtOnce_PrepareOnce()
    {
        var cache = data.NewCache();

        var runs = await Task.WhenAll(Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => ProcessRunner.Mselab("data", "prepare", data.GoodRoot, "--dataset", "cherma", "--cache", cache), TestContext.Current.CancellationToken)));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.StandardError));
        var outputs = runs.Select(r => r.StandardOutput.Trim()).Order(StringComparer.Ordinal).ToList();
        Assert.StartsWith("cherma: already prepared", outputs[0], StringComparison.Ordinal);
        Assert.StartsWith("cherma: prepared", outputs[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_TruncatedFile_ExitsTwoNamingTheFile()
    {
        var root = data.BadRoot("truncated");

        var result = ProcessRunner.Mselab("data", "prepare", root, "--cache", data.NewCache());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Path.Combine(root, "MOSEI", "Processed", "unaligned_50.pkl"), result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);   // a message, not a stack dump
    }

    [Fact]
    public void Prepare_MissingFile_ExitsTwoNamingItAndTheLayout()
    {
        var root = data.BadRoot("missing_file");
        var cache = data.NewCache();

        var result = ProcessRunner.Mselab("data", "prepare", root, "--cache", cache);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Path.Combine(root, "MELD", "meld_valid.pkl"), result.StandardError, StringComparison.Ordinal);
        Assert.Contains("meld_test.pkl", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(cache) && Directory.GetDirectories(cache).Length > 0);
    }

    [Fact]
    public void Prepare_MaliciousPickle_ExitsTwoAndNothingRuns()
    {
        var root = data.BadRoot("malicious");

        var result = ProcessRunner.Mselab("data", "prepare", root, "--cache", data.NewCache());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unaligned_50.pkl", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root, "PWNED")));
    }

    [Fact]
    public void Prepare_RootWithoutDatasets_ExitsTwoListingTheLayouts()
    {
        var empty = Directory.CreateTempSubdirectory("mselab-empty-root-").FullName;
        try
        {
            var result = ProcessRunner.Mselab("data", "prepare", empty, "--cache", data.NewCache());

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"no dataset under {empty}", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("unaligned_50.pkl", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("cherma_train.pkl", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Theory]
    [InlineData("inspect", "--dataset", "iemocap")]
    [InlineData("inspect")]
    [InlineData("prepare", "--dataset", "mosei2")]
    public void Commands_UnknownOrMissingDataset_ExitTwoListingValidNames(string command, params string[] options)
    {
        var result = ProcessRunner.Mselab(["data", command, data.GoodRoot, .. options, "--cache", data.NewCache()]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Valid datasets: mosei, simsv2, meld, cherma, mosi, sims.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_RootThatIsNoFolder_ExitsTwo()
    {
        var result = ProcessRunner.Mselab("data", "inspect", "/no/such/root", "--dataset", "mosei", "--cache", data.NewCache());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/no/such/root is not a folder", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inspect", "--dataset <NAME>", "--json")]
    [InlineData("prepare", "--dataset <NAME>", "--cache <DIR>")]
    public void Help_DescribesArgumentsAndOptions(string command, string option1, string option2)
    {
        var result = ProcessRunner.Mselab("data", command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("<ROOT>", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(option1, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(option2, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("EXAMPLES:", result.StandardOutput, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertClose(JsonElement expected, JsonElement actual, string what)
    {
        static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();
        var (want, got) = (Number(expected), Number(actual));
        Assert.True(
            double.IsFinite(want) ? Math.Abs(want - got) <= 1e-9 * Math.Max(1, Math.Abs(want)) : want.Equals(got),
            $"{what}: expected {want:R}, got {got:R}");
    }
}
