using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Planning;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Tests.Planning;

/// <summary>
/// The memory plan's arithmetic against independent figures: the frozen parameter counts the authors' logs print
/// (ChatGLM3-6B-base 6,243,584,000, Qwen-1.8B 1,836,828,672) and LLaMA-2-7B's published 6,738,415,616, and the adapter's
/// trainable counts from the logs (spec 1.10).
/// </summary>
public sealed class MemoryEstimatorTests
{
    [Theory]
    [InlineData(PaperConfigs.Llama2_7B, 6_738_415_616L, AttentionKernel.Fused)]
    [InlineData(PaperConfigs.Qwen1_8B, 1_836_828_672L, AttentionKernel.Math)]
    [InlineData(PaperConfigs.ChatGlm3_6B, 6_243_584_000L, AttentionKernel.Math)]
    public void FromConfig_RealConfig_CountsThePublishedParameters(string config, long parameters, AttentionKernel attention)
    {
        using var model = PaperConfigs.Write(config);

        var shape = BackboneShapes.FromConfig(Path.Combine(model.Path, "config.json"));

        Assert.Equal(parameters, shape.Parameters);
        Assert.Equal(attention, shape.Attention);
    }

    [Theory]
    [InlineData(BackboneFamily.Llama2, PaperDataset.Mosei, 4096, 2_631_692L)]
    [InlineData(BackboneFamily.ChatGLM3, PaperDataset.Cherma, 4096, 2_842_380L)]
    [InlineData(BackboneFamily.Qwen1, PaperDataset.Mosei, 2048, 1_351_244L)]
    [InlineData(BackboneFamily.Qwen1, PaperDataset.Meld, 2048, 1_312_072L)]
    public void AdapterParameters_PaperPreset_MatchesTheLoggedTrainableCount(BackboneFamily family, PaperDataset dataset, int hidden, long logged)
    {
        var trial = TrialDefaults.Resolve(new TrialConfig { Backbone = PresetBackbone.Tiny, Dataset = new SyntheticDatasetRef(dataset), Seed = 1 }, family);

        Assert.Equal(logged, MemoryEstimator.AdapterParameters(trial, hidden));
    }

    [Fact]
    public void Estimate_Llama2_7BPaperPrecision_FitsA24GbCardInFp16ButNotInFp32()
    {
        using var model = PaperConfigs.Write(PaperConfigs.Llama2_7B);
        var shape = BackboneShapes.FromConfig(Path.Combine(model.Path, "config.json"));
        var config = new TrialConfig { Backbone = BackboneRef.Parse(model.Path), Dataset = new SyntheticDatasetRef(PaperDataset.Mosei), Seed = 1 };

        var paper = MemoryEstimator.Estimate(TrialDefaults.Resolve(config with { Precision = TrialPrecision.Paper }, BackboneFamily.Llama2), shape, "cuda");
        var fp32 = MemoryEstimator.Estimate(TrialDefaults.Resolve(config, BackboneFamily.Llama2), shape, "cuda");

        Assert.Equal(shape.Parameters * 2, paper.Weights);                 // fp16 weights: 12.6 GiB
        Assert.Equal(fp32.Weights, 2 * paper.Weights);
        Assert.InRange(paper.PeakGb, MemoryEstimate.Gb(paper.Weights) + 1, 24);
        Assert.True(fp32.PeakGb > 24, $"fp32 LLaMA2-7B should not fit 24 GB, estimated {fp32.PeakGb:0.0}");
    }

    [Fact]
    public void Estimate_DoubleTheBatch_GrowsOnlyTheActivationsAndTheCache()
    {
        using var model = PaperConfigs.Write(PaperConfigs.Qwen1_8B);
        var shape = BackboneShapes.FromConfig(Path.Combine(model.Path, "config.json"));
        var config = new TrialConfig { Backbone = BackboneRef.Parse(model.Path), Dataset = new SyntheticDatasetRef(PaperDataset.Meld), Seed = 1 };
        var one = MemoryEstimator.Estimate(TrialDefaults.Resolve(config with { BatchSize = 8, EvalBatchSize = 8 }, BackboneFamily.Qwen1), shape, "cuda");
        var two = MemoryEstimator.Estimate(TrialDefaults.Resolve(config with { BatchSize = 16, EvalBatchSize = 16 }, BackboneFamily.Qwen1), shape, "cuda");

        Assert.Equal(one.Weights, two.Weights);
        Assert.Equal(one.Adapter, two.Adapter);
        Assert.Equal(2 * one.KvCache, two.KvCache);
        Assert.InRange(two.TrainActivations, (2 * one.TrainActivations) - 1, 2 * one.TrainActivations);
    }

    [Fact]
    public void Plan_SweepWithoutMemoryGb_OneRowPerDistinctNeedAndNoDeclaredMemory()
    {
        using var model = PaperConfigs.Write(PaperConfigs.ChatGlm3_6B);
        var sweep = SweepParser.Parse($"""
            name: plan
            backbones: [{model.Path}, tiny]
            datasets: [synthetic:mosei, synthetic:meld]
            seeds: [1, 2, 3]
            grid: {"{"}lr: [5e-5, 5e-4]{"}"}
            resources: {"{"}device: cuda{"}"}
            precision: paper
            """, Path.Combine(model.Path, "plan.yaml"));

        var plan = SweepMemoryPlan.For(sweep, Path.Combine(model.Path, "no-models-here"));

        Assert.Null(sweep.MemoryGb);
        Assert.Equal(4, plan.Rows.Count);                                   // 2 backbones x 2 datasets; lr and seeds share a need
        Assert.All(plan.Rows, r => Assert.Equal(6, r.Cells));
        Assert.Equal(plan.Rows.Max(r => r.Estimate.PeakGb), plan.PeakGb);
        Assert.Equal(6_243_584_000L * 2, plan.Rows.First(r => r.Backbone == Path.GetFileName(model.Path)).Estimate.Weights);
    }

    [Fact]
    public void FromConfig_MissingSize_NamesTheKeyAndTheFile()
    {
        using var model = PaperConfigs.Write("""{"model_type": "llama", "hidden_size": 64}""");

        var error = Assert.Throws<InvalidDataException>(() => BackboneShapes.FromConfig(Path.Combine(model.Path, "config.json")));

        Assert.Contains("config.json: 'num_attention_heads' is missing", error.Message, StringComparison.Ordinal);
    }
}
