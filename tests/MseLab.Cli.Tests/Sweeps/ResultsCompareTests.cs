using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary>
/// <c>mselab results --compare paper</c> on a store filled here (the real program, its three formats): ChatGLM3 on a pinned
/// stored MOSEI, LLaMA2 on MELD (no logged result), the tiny model on synthetic data (left out).
/// </summary>
public sealed class ResultsCompareTests : IDisposable
{
    private const string Sweep = "paper";

    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-compare-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResultsComparePaper_ThreeFormats_OursPublishedAndDifferenceX100()
    {
        await SeedAsync();

        var json = ProcessRunner.MselabIn(_folder, "results", "--compare", "paper", "--format", "json");
        var csv = ProcessRunner.MselabIn(_folder, "results", "--compare", "paper", "--format", "csv");
        var table = ProcessRunner.MselabIn(_folder, "results", "--compare", "paper");

        Assert.True(json.ExitCode == 0, json.StandardError);
        using var document = JsonDocument.Parse(json.StandardOutput);
        var root = document.RootElement;
        Assert.Equal(100, root.GetProperty("scale").GetDouble());
        var groups = root.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["llama2-7b/meld", "chatglm3-6b-base/mosei"], groups.Select(g => $"{g.GetProperty("family").GetString()}/{g.GetProperty("dataset_name").GetString()}"));
        Assert.Equal("not published in the logs", groups[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, groups[0].GetProperty("metrics").GetProperty("acc").GetProperty("published").ValueKind);
        var glm = groups[1];
        Assert.Equal(("compared", 2), (glm.GetProperty("status").GetString(), glm.GetProperty("n").GetInt32()));
        Assert.Equal("chatglm3-mosei-2025-02", glm.GetProperty("published").GetProperty("id").GetString());
        Assert.Equal("MSE-ChatGLM3-6B/logs/cmcm-mosi.log", glm.GetProperty("published").GetProperty("path").GetString());
        var acc2 = glm.GetProperty("metrics").GetProperty("has0_acc2");
        Assert.Equal(87.0, acc2.GetProperty("ours_mean").GetDouble(), 8);
        Assert.Equal(Math.Sqrt(2), acc2.GetProperty("ours_std").GetDouble(), 8);   // 86 and 88: sample std
        Assert.Equal(86.91, acc2.GetProperty("published").GetDouble());
        Assert.Equal(0.09, acc2.GetProperty("diff").GetDouble(), 8);
        Assert.Equal(-0.47, glm.GetProperty("metrics").GetProperty("mae").GetProperty("diff").GetDouble(), 8);   // 51.00 - 51.47
        Assert.Contains(glm.GetProperty("other_published").EnumerateArray(), o => o.GetProperty("kind").GetString() == "reproduction");
        var excluded = Assert.Single(root.GetProperty("excluded").EnumerateArray().ToList());
        Assert.Equal("synthetic:mosei", excluded.GetProperty("dataset_name").GetString());

        Assert.True(csv.ExitCode == 0, csv.StandardError);
        var lines = csv.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("family,dataset_name,n,planned,status,metric,ours_mean_x100,ours_std_x100,ours_n,published_x100,diff_x100,published_id,published_source,notes", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("chatglm3-6b-base,mosei,2,2,compared,has0_acc2,87,1.4142135624,2,86.91,0.09,chatglm3-mosei-2025-02,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("llama2-7b,meld,1,1,not published in the logs,acc,60,,1,,,,,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("llama2-7b,synthetic:mosei,1,1,excluded,", StringComparison.Ordinal));

        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.Contains("not published in the logs", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("87.00 ± 1.41", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("+0.09", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("left out: llama2-7b / synthetic:mosei", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("published chatglm3-mosei-2025-02: AZYoung233/MSE-Adapter MSE-ChatGLM3-6B/logs/cmcm-mosi.log", table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultsCompare_UnknownTarget_ExitsTwoNamingPaper()
    {
        await SeedAsync();

        var result = ProcessRunner.MselabIn(_folder, "results", "--compare", "arxiv");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--compare paper", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task SeedAsync()
    {
        var options = new StoreOptions { ConnectionString = $"Data Source={Path.Combine(_folder, StoreOptions.DefaultSqlitePath)}" };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_folder, StoreOptions.DefaultSqlitePath))!);
        using var database = new ResultsDatabase(options);
        await database.MigrateAsync(Ct);
        var glm = BackboneRef.Parse("/models/chatglm3-6b-base");
        var llama = BackboneRef.Parse("/models/Llama-2-7b-hf");
        CellSubmission[] cells =
        [
            Cell(glm, BackboneFamily.ChatGLM3, "mosei@0123abcd", 1111), Cell(glm, BackboneFamily.ChatGLM3, "mosei@0123abcd", 2222),
            Cell(llama, BackboneFamily.Llama2, "meld", 1111), Cell(PresetBackbone.Tiny, BackboneFamily.Llama2, "synthetic:mosei?train=64", 1111),
        ];
        Dictionary<string, double>[] tests =
        [
            new() { ["has0_acc2"] = 0.86, ["mae"] = 0.50 }, new() { ["has0_acc2"] = 0.88, ["mae"] = 0.52 },
            new() { ["acc"] = 0.6, ["weighted_f1"] = 0.5 }, new() { ["mae"] = 0.9 },
        ];
        var queued = (await new SweepSubmissions(database, new StoreClock(database)).SubmitAsync(
            new SweepSubmission(Sweep, "paper.yaml", "name: paper\n", "cuda", 0, 0, 0, cells), rerunFailed: false, Ct)).Dispatch;
        var leases = new TrialLeases(database, new StoreClock(database));
        foreach (var cell in queued)
        {
            Assert.NotNull(await leases.TryClaimAsync(cell.Lease, "cuda:0", Ct));
            var outcome = new TrialOutcome(1, 0.5, "early_stop", tests[Array.FindIndex(cells, c => c.Key == cell.Key)], 1, Provenance);
            Assert.True(await leases.CompleteAsync(cell.Lease, outcome, Ct));
        }
    }

    private static readonly ProvenanceRecord Provenance = new("abc123", GitDirty: false, "lab-1", "0.107.0", "2.10.0", "cuda", "sha256:data", 1234, 56789);

    // A cell as the submitter stores it, with the dataset as text: resolved on synthetic data of the same paper dataset (same
    // defaults), then the text put in its place, as a stored dataset's would be.
    private static CellSubmission Cell(BackboneRef backbone, BackboneFamily family, string dataset, int seed)
    {
        var name = DatasetNames.Of(dataset).Replace(SyntheticDatasetRef.Prefix, "", StringComparison.Ordinal);
        var config = new TrialConfig { Backbone = backbone, Dataset = new SyntheticDatasetRef(PaperDatasets.Parse(name)), Seed = seed, Precision = TrialPrecision.Paper };
        var resolved = TrialDefaults.Resolve(config, family);
        var json = resolved.CanonicalJson().Replace($"\"Dataset\":\"{resolved.Dataset}\"", $"\"Dataset\":\"{dataset}\"", StringComparison.Ordinal);
        return new CellSubmission($"{resolved.Hash()}-{dataset}", $"{resolved.SeedGroup()}-{dataset}", backbone.ToString(), dataset, seed, resolved.LearningRate, null, json, "{}");
    }
}
