using System.ComponentModel;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Plots;

/// <summary>The options every <c>mselab plot</c> command takes: how to group, and where to write the picture.</summary>
internal abstract class PlotSettings : ClusterSettings
{
    [CommandOption("--group-by <FIELDS>")]
    [Description("Comma-separated fields, as for `mselab results` (backbone, dataset, lr, batch_size, ...). Default: seed groups (same configuration, different seeds).")]
    public string? GroupBy { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("The picture to write: FILE.png or FILE.svg (1200x700).")]
    public string? Out { get; init; }
}
