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
        config.AddBranch("backbone", backbone =>
        {
            backbone.SetDescription("Frozen LLM backbones: inspect and create.");
            backbone.AddCommand<BackboneLogitsCommand>("logits")
                .WithDescription("Print the backbone's logits for token ids (compare with another implementation).")
                .WithExample("backbone", "logits", "--model", "models/tiny-llama", "--ids", "1,2,3", "--json");
        });
        config.AddBranch("adapter", adapter =>
        {
            adapter.SetDescription("Inspect the MSE-Adapter (the trained plugin between the features and the frozen LLM).");
            adapter.AddCommand<AdapterParamsCommand>("params")
                .WithDescription("Print the adapter's trainable-parameter count for a paper backbone and dataset (no backbone is loaded).")
                .WithExample("adapter", "params", "--backbone", "qwen-1.8b", "--dataset", "meld")
                .WithExample("adapter", "params", "--backbone", "llama2-7b", "--dataset", "mosei", "--json");
        });
    }
}
