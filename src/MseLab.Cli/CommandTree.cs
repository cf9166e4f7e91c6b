using MseLab.Cli.Commands;
using Spectre.Console.Cli;

namespace MseLab.Cli;

/// <summary>The whole <c>mselab</c> command tree, in one place.</summary>
internal static class CommandTree
{
    public static void Configure(IConfigurator config)
    {
        config.SetApplicationName("mselab");
        config.SetExceptionHandler(CliErrors.Handle);
        config.AddCommand<VersionCommand>("version").WithDescription("Print MseLab, TorchSharp and libtorch versions.");
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train and test one MSE-Adapter trial (Ctrl-C checkpoints; rerun to resume).")
            .WithExample("train", "--backbone", "models/tiny-llama", "--dataset", "synthetic:mosei", "--seed", "1111", "--out", "runs/mosei-1111");
        config.AddBranch("backbone", backbone =>
        {
            backbone.SetDescription("Frozen LLM backbones: inspect and create.");
            backbone.AddCommand<BackboneLogitsCommand>("logits")
                .WithDescription("Print the backbone's logits for token ids (compare with another implementation).")
                .WithExample("backbone", "logits", "--model", "models/tiny-llama", "--ids", "1,2,3", "--json");
            backbone.AddCommand<BackboneCreateTinyCommand>("create-tiny")
                .WithDescription("Write a small pretrained LLaMA (HF layout) for tests and the embedded demo.")
                .WithExample("backbone", "create-tiny", "models/tiny-llama", "--seed", "0");
        });
        config.AddBranch("bench", bench =>
        {
            bench.SetDescription("Benchmarks that print figures (speed and memory targets live here, not in tests).");
            bench.AddCommand<BenchTrainCommand>("train")
                .WithDescription("Forward vs adapter train-step time, samples/s and peak memory for a tiny and a mid-size LLaMA.")
                .WithExample("bench", "train", "--compare-pytorch");
        });
        config.AddBranch("adapter", adapter =>
        {
            adapter.SetDescription("Inspect the MSE-Adapter (the trained plugin between the features and the frozen LLM).");
            adapter.AddCommand<AdapterParamsCommand>("params")
                .WithDescription("Print the adapter's trainable-parameter count for a paper backbone and dataset (no backbone is loaded).")
                .WithExample("adapter", "params", "--backbone", "qwen-1.8b", "--dataset", "meld")
                .WithExample("adapter", "params", "--backbone", "llama2-7b", "--dataset", "mosei", "--json");
        });
        config.AddCommand<MetricsCommand>("metrics")
            .WithDescription("Compute the MSE-Adapter metrics (paper section 4 conventions) of a truth/prediction CSV; prints JSON.")
            .WithExample("metrics", "mosei", "predictions.csv")
            .WithExample("metrics", "meld", "test-predictions.csv");
    }
}
