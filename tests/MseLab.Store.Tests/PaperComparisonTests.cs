using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using MseLab.Store.Paper;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>
/// <c>mselab results --compare paper</c>'s numbers on a store filled here: real resolved configurations (the paper's
/// defaults filled in by <see cref="TrialDefaults"/>), stored datasets named by text (<c>mosei@HASH</c>), synthetic ones.
/// </summary>
public sealed class PaperComparisonTests
{
    private const string Sweep = Submissions.SweepId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_ChatGlm3OnStoredMosei_MeanStdAndDifferenceAgainstTheFeb2025Rerun()
    {
        await using var lab = await TempStore.CreateAsync();
        double[] acc2 = [0.86, 0.875, 0.88, 0.85, 0.89];
        double[] mae = [0.52, 0.50, 0.53, 0.51, 0.49];
        var cells = PaperSeeds.Select(s => Cell(ChatGlm3, "mosei@0123abcd", s, TrialPrecision.Paper)).ToArray();
        var queued = await lab.SubmitAsync(cells);
        for (var i = 0; i < queued.Count; i++)
        {
            await SucceedAsync(lab, queued[i], new() { ["has0_acc2"] = acc2[i], ["mae"] = mae[i], ["non0_f1"] = 0.7 });
        }

        var report = PaperComparison.Build(await lab.Queries.TrialsAsync(Sweep, cancellationToken: Ct), groupBy: null);

        var group = Assert.Single(report.Groups);
        Assert.Empty(report.Excluded);
        Assert.Equal(("chatglm3-6b-base", "mosei", 5, 5), (group.Fields["family"], group.Fields["dataset_name"], group.N, group.Planned));
        Assert.Equal(ComparisonStatus.Compared, group.Status);
        Assert.Equal("chatglm3-mosei-2025-02", group.Reference!.Id);
        // The metrics the logs report (spec 6.1), in the task's order; non0_f1 is not among them.
        Assert.Equal(["has0_acc2", "has0_f1", "non0_acc2", "acc5", "acc7", "mae", "corr"], group.Metrics.Select(m => m.Key));
        var a = group.Metrics.Single(m => m.Key == "has0_acc2");
        Assert.Equal(0.871, a.Mean!.Value, 12);
        Assert.Equal(SampleStd(acc2), a.Std!.Value, 12);
        Assert.Equal(5, a.N);
        Assert.Equal(0.8691, a.Published!.Value, 12);   // 86.91 in the file, / 100
        Assert.Equal(0.871 - 0.8691, a.Difference!.Value, 12);
        var e = group.Metrics.Single(x => x.Key == "mae");
        Assert.Equal(0.51, e.Mean!.Value, 12);
        Assert.Equal(0.5147, e.Published!.Value, 12);
        Assert.Equal(0.51 - 0.5147, e.Difference!.Value, 12);
        var corr = group.Metrics.Single(x => x.Key == "corr");   // published, but not in our results
        Assert.Equal(new MetricComparison("corr", null, null, 0, null, null), corr with { Published = null });
        Assert.Equal(0.7829, corr.Published!.Value, 12);
        Assert.Empty(group.Notes);   // paper hyperparameters, precision and seeds
        Assert.Contains(group.OtherPublished, r => r.Id == "chatglm3-mosei-2025-03");
        Assert.Contains(group.OtherPublished, r => r.Id == "lishuaitong16-chatglm3-mosei");
    }

    [Fact]
    public async Task Build_Llama2_NotPublishedWithTheLoggedMetricsAndItsReproductions()
    {
        await using var lab = await TempStore.CreateAsync();
        var queued = await lab.SubmitAsync(Cell(Llama2, "meld", 1111), Cell(Llama2, "meld", 2222));
        await SucceedAsync(lab, queued[0], new() { ["acc"] = 0.6, ["weighted_f1"] = 0.55 });
        await FailAsync(lab, queued[1]);

        var group = Assert.Single(PaperComparison.Build(await lab.Queries.TrialsAsync(Sweep, cancellationToken: Ct), groupBy: null).Groups);

        Assert.Equal(ComparisonStatus.NotPublished, group.Status);
        Assert.Null(group.Reference);
        Assert.Equal((1, 2), (group.N, group.Planned));
        Assert.Equal(["acc", "weighted_f1"], group.Metrics.Select(m => m.Key));
        Assert.Equal(new MetricComparison("acc", 0.6, null, 1, null, null), group.Metrics[0]);
        Assert.Equal(["lishuaitong16-llama2-meld"], group.OtherPublished.Select(r => r.Id));
    }

    [Fact]
    public async Task Build_SyntheticData_IsExcludedWithTheReason()
    {
        await using var lab = await TempStore.CreateAsync();
        var queued = await lab.SubmitAsync(Cell(PresetBackbone.Tiny, "synthetic:mosei?train=64&valid=16&test=16", 1111), Cell(Qwen, "simsv2", 1111));
        await SucceedAsync(lab, queued[0], new() { ["mae"] = 0.9 });
        await SucceedAsync(lab, queued[1], new() { ["acc2"] = 0.8 });

        var report = PaperComparison.Build(await lab.Queries.TrialsAsync(Sweep, cancellationToken: Ct), groupBy: null);

        Assert.Equal(["qwen-1.8b"], report.Groups.Select(g => g.Fields["family"]));
        var excluded = Assert.Single(report.Excluded);
        Assert.Equal(("synthetic:mosei", 1, 1), (excluded.Fields["dataset_name"], excluded.N, excluded.Planned));
        Assert.Contains("not comparable", excluded.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_OffPaperConfiguration_NotesEachDifference()
    {
        await using var lab = await TempStore.CreateAsync();
        var queued = await lab.SubmitAsync(Cell(Qwen, "simsv2", 1, lr: 1e-3, maxEpochs: 4), Cell(PresetBackbone.TinyQwen, "simsv2", 2));
        await SucceedAsync(lab, queued[0], new() { ["acc2"] = 0.8 });
        await SucceedAsync(lab, queued[1], new() { ["acc2"] = 0.7 });

        var group = Assert.Single(PaperComparison.Build(await lab.Queries.TrialsAsync(Sweep, cancellationToken: Ct), groupBy: null).Groups);

        Assert.Equal(0.75, group.Metrics[0].Mean!.Value, 12);
        Assert.Equal(0.75 - 0.8027, group.Metrics[0].Difference!.Value, 12);
        Assert.Contains("2 configurations in one group (the mean is over all of them); add the fields that differ to --group-by to split them", group.Notes);
        Assert.Contains("lr 0.001 (paper 0.0005)", group.Notes);
        Assert.Contains("max_epochs 4 (the paper trains until early stopping)", group.Notes);
        Assert.Contains("precision fp32 (paper: fp16 weights, precision: paper)", group.Notes);
        Assert.Contains("backbone tiny-qwen: a small preset model, not the paper's qwen-1.8b", group.Notes);
        Assert.Contains("seeds 1, 2 (the logs: 1111, 2222, 3333, 4444, 5555)", group.Notes);
    }

    [Fact]
    public async Task Build_TwoPinnedCopies_OneGroupByNameSplitByDataset()
    {
        await using var lab = await TempStore.CreateAsync();
        var queued = await lab.SubmitAsync(Cell(ChatGlm3, "cherma@aaaa", 1111), Cell(ChatGlm3, "cherma@bbbb", 1111));
        await SucceedAsync(lab, queued[0], new() { ["acc"] = 0.7, ["weighted_f1"] = 0.7 });
        await SucceedAsync(lab, queued[1], new() { ["acc"] = 0.74, ["weighted_f1"] = 0.72 });
        var trials = await lab.Queries.TrialsAsync(Sweep, cancellationToken: Ct);

        var byName = Assert.Single(PaperComparison.Build(trials, groupBy: null).Groups);
        var byCopy = PaperComparison.Build(trials, ["dataset"]).Groups;

        Assert.Equal(0.72, byName.Metrics[0].Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(0.0008), byName.Metrics[0].Std!.Value, 12);
        Assert.Equal(["family", "dataset_name", "dataset"], byCopy[0].Fields.Keys);
        Assert.Equal(["cherma@aaaa", "cherma@bbbb"], byCopy.Select(g => g.Fields["dataset"]));
        Assert.All(byCopy, g => Assert.Equal("chatglm3-cherma-2025-02", g.Reference!.Id));
    }

    [Fact]
    public void Build_FamiliesAndDatasets_InThePapersOrder()
    {
        TrialRow[] trials =
        [
            Row(ChatGlm3, "meld"), Row(Qwen, "mosei"), Row(ChatGlm3, "mosei"), Row(Llama2, "cherma"), Row(Llama2, "mosi"),
        ];

        var groups = PaperComparison.Build(trials, groupBy: null).Groups;

        Assert.Equal(["llama2-7b/cherma", "llama2-7b/mosi", "qwen-1.8b/mosei", "chatglm3-6b-base/mosei", "chatglm3-6b-base/meld"],
            groups.Select(g => $"{g.Fields["family"]}/{g.Fields["dataset_name"]}"));
        Assert.Equal(ComparisonStatus.NotInPaper, groups[1].Status);
    }

    private static readonly BackboneRef Llama2 = BackboneRef.Parse("/models/Llama-2-7b-hf");
    private static readonly BackboneRef Qwen = BackboneRef.Parse("/models/Qwen-1_8B");
    private static readonly BackboneRef ChatGlm3 = BackboneRef.Parse("/models/chatglm3-6b-base");

    private static readonly int[] PaperSeeds = [1111, 2222, 3333, 4444, 5555];

    private static BackboneFamily FamilyOf(BackboneRef backbone) => backbone switch
    {
        PresetBackbone preset => preset.Family,
        _ when backbone == Llama2 => BackboneFamily.Llama2,
        _ when backbone == Qwen => BackboneFamily.Qwen1,
        _ => BackboneFamily.ChatGLM3,
    };

    /// <summary>
    /// A cell as the sweep submitter stores it, for a dataset given as text: the configuration is resolved on synthetic data
    /// of the same paper dataset (same defaults), then the dataset text is put in its place, as a stored dataset's would be.
    /// </summary>
    private static CellSubmission Cell(BackboneRef backbone, string dataset, int seed, TrialPrecision precision = TrialPrecision.Fp32, double? lr = null, int? maxEpochs = null)
    {
        var name = DatasetNames.Of(dataset).Replace(SyntheticDatasetRef.Prefix, "", StringComparison.Ordinal);
        var config = new TrialConfig
        {
            Backbone = backbone, Dataset = new SyntheticDatasetRef(PaperDatasets.Parse(name)), Seed = seed, Device = "cuda",
            Precision = precision, LearningRate = lr, MaxEpochs = maxEpochs,
        };
        var resolved = TrialDefaults.Resolve(config, FamilyOf(backbone));
        var json = resolved.CanonicalJson().Replace($"\"Dataset\":\"{resolved.Dataset}\"", $"\"Dataset\":\"{dataset}\"", StringComparison.Ordinal);
        // The key and seed group as a stored dataset's hash would make them: the dataset text is part of the identity.
        var key = $"{resolved.Hash()}-{dataset}";
        var group = $"{resolved.SeedGroup()}-{dataset}";
        return new CellSubmission(key, group, backbone.ToString(), dataset, seed, resolved.LearningRate, maxEpochs, json, "{}");
    }

    private static TrialRow Row(BackboneRef backbone, string dataset)
    {
        var cell = Cell(backbone, dataset, 1111);
        return new TrialRow(Sweep, cell.Key, cell.SeedGroup, cell.Backbone, cell.Dataset, cell.Seed, cell.LearningRate, cell.MaxEpochs, cell.ResolvedConfig,
            TrialStatus.Succeeded, 1, null, 4, 0.1, 0.4, null, null, null, new Dictionary<string, double> { ["acc"] = 0.5 });
    }

    private static async Task SucceedAsync(TempStore lab, QueuedCell cell, Dictionary<string, double> test)
    {
        await lab.ClaimAsync(cell);
        Assert.True(await lab.Leases.CompleteAsync(cell.Lease, Submissions.Outcome(test), Ct));
    }

    private static async Task FailAsync(TempStore lab, QueuedCell cell)
    {
        await lab.ClaimAsync(cell);
        Assert.Null(await lab.Leases.FailAsync(cell.Lease, "NaN loss", FailureClass.Permanent, Ct));
    }

    private static double SampleStd(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
