using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Tests.Sweeps;

/// <summary>
/// experiments/paper.yaml through the real parser and expander, with small model folders in place of the checkpoints:
/// 60 cells, each resolving to the authors' configuration for its backbone and dataset.
/// </summary>
public sealed class PaperSweepTests
{
    // Spec 5.2 (official config_regression.py / config_classification.py), written out here independently of PaperPresets:
    // backbone, dataset, batch, lr, warm_up_epochs, early_stop, P, Ha, Hv, max_new_tokens.
    private static readonly (string Backbone, string Dataset, int Batch, double Lr, int WarmUp, int EarlyStop, int P, int Ha, int Hv, int NewTokens)[] Spec =
    [
        ("chatglm3-6b-base", "mosei", 8, 5e-5, 30, 10, 4, 64, 32, 4),
        ("chatglm3-6b-base", "simsv2", 8, 5e-5, 80, 10, 4, 64, 64, 4),
        ("chatglm3-6b-base", "meld", 8, 5e-5, 90, 8, 4, 64, 32, 2),
        ("chatglm3-6b-base", "cherma", 8, 5e-5, 30, 8, 4, 32, 16, 2),
        ("qwen-1.8b", "mosei", 16, 5e-3, 30, 10, 4, 64, 32, 4),
        ("qwen-1.8b", "simsv2", 16, 5e-4, 30, 10, 4, 64, 64, 4),
        ("qwen-1.8b", "meld", 16, 5e-4, 50, 8, 2, 32, 16, 1),
        ("qwen-1.8b", "cherma", 16, 5e-3, 30, 8, 4, 32, 16, 1),
        ("llama2-7b", "mosei", 8, 5e-5, 30, 10, 4, 64, 32, 4),
        ("llama2-7b", "simsv2", 8, 5e-5, 40, 10, 4, 64, 64, 4),
        ("llama2-7b", "meld", 6, 5e-4, 30, 8, 4, 64, 32, 2),
        ("llama2-7b", "cherma", 6, 5e-5, 30, 8, 4, 32, 16, 2),
    ];

    private static readonly string[] Checkpoints = ["/models/Llama-2-7b-hf", "/models/Qwen-1_8B", "/models/chatglm3-6b-base"];

    [Fact]
    public void Expand_PaperSweepWithSmallModelFolders_SixtyCellsWithTheSpecsHyperparameters()
    {
        using var llama = new ModelFolder("llama");
        using var qwen = new ModelFolder("qwen");
        using var chatglm = new ModelFolder("chatglm");
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "experiments", "paper.yaml"));
        Assert.All(Checkpoints, c => Assert.Contains(c, text, StringComparison.Ordinal));   // the README's folders
        var yaml = text.Replace(Checkpoints[0], llama.Path, StringComparison.Ordinal)
            .Replace(Checkpoints[1], qwen.Path, StringComparison.Ordinal)
            .Replace(Checkpoints[2], chatglm.Path, StringComparison.Ordinal);

        var sweep = SweepParser.Parse(yaml, Path.Combine(llama.Path, "paper.yaml"));
        var trials = SweepExpander.Expand(sweep);

        Assert.Equal("paper", sweep.Name);
        Assert.Equal([TrialPrecision.Paper], sweep.Precisions);
        Assert.Equal("cuda", sweep.DeviceKind);
        Assert.InRange(sweep.MemoryGb ?? 0, 13.5 + 2, 24);   // LLaMA2-7B's fp16 weights plus working memory, on a 24 GB card
        Assert.Equal(60, trials.Count);
        Assert.Equal(60, trials.Select(t => t.Key).Distinct().Count());
        foreach (var cell in trials.GroupBy(t => (BackboneFamilies.PaperName(t.Resolved.Family), t.Resolved.Dataset.Info.Name)))
        {
            var spec = Spec.Single(s => s.Backbone == cell.Key.Item1 && s.Dataset == cell.Key.Name);
            Assert.Equal([1111, 2222, 3333, 4444, 5555], cell.Select(t => t.Resolved.Seed).Order());
            Assert.Single(cell.Select(t => t.SeedGroup).Distinct());
            foreach (var r in cell.Select(t => t.Resolved))
            {
                Assert.IsNotType<SyntheticDatasetRef>(r.Dataset);   // the published files, not generated data
                Assert.Equal(
                    (spec.Batch, spec.Batch, spec.Lr, spec.WarmUp, spec.EarlyStop, spec.P, spec.Ha, spec.Hv, spec.NewTokens),
                    (r.BatchSize, r.EvalBatchSize, r.LearningRate, r.WarmUpEpochs, r.EarlyStop, r.PseudoTokens, r.AudioHidden, r.VideoHidden, r.MaxNewTokens));
                Assert.Null(r.MaxEpochs);   // until early stopping, as the official code
                Assert.Equal((1e-4, 0.01, TrialPrecision.Paper, "cuda"), (r.AdamEps, r.WeightDecay, r.Precision, r.Device));
            }
        }

        Assert.Equal(12, trials.Select(t => (t.Resolved.Family, t.Resolved.Dataset.Info.Name)).Distinct().Count());
    }
}
