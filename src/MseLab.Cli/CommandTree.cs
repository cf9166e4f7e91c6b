using MseLab.Cli.Commands;
using Spectre.Console.Cli;

namespace MseLab.Cli;

/// <summary>The whole <c>mselab</c> command tree, in one place.</summary>
internal static class CommandTree
{
    public static void Configure(IConfigurator config)
    {
        config.SetApplicationName("mselab");
        config.PropagateExceptions();
        config.AddCommand<VersionCommand>("version").WithDescription("Print MseLab, TorchSharp and libtorch versions.");
        config.AddCommand<MetricsCommand>("metrics")
            .WithDescription("Compute the MSE-Adapter metrics (paper section 4 conventions) of a truth/prediction CSV; prints JSON.")
            .WithExample("metrics", "mosei", "predictions.csv")
            .WithExample("metrics", "meld", "test-predictions.csv");
    }
}
