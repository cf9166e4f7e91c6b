using System.ComponentModel;
using MseLab.Store.Queries;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Plots;

/// <summary>The options every <c>mselab plot</c> command takes: how to group, and where to write the picture.</summary>
internal abstract class PlotSettings : ClusterSettings
{
    [CommandOption("--group-by <FIELDS>")]
    [Description("Comma-separated fields, as for `mselab results` (backbone, dataset, lr, batch_size, ...). Default: seed groups (same configuration, different seeds).")]
    public string? GroupBy { get; init; }

    [CommandOption("--where <EXPR>")]
    [Description("Only the cells matching EXPR, in the filter language of `mselab results --where` (see `mselab results --help`), e.g. \"dataset_name = 'mosei' and lr < 1e-4\".")]
    public string? Where { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("The picture to write: FILE.png or FILE.svg (1200x700).")]
    public string? Out { get; init; }

    /// <summary>The parsed <c>--where</c> filter (null without one); parsed before any store opens, so a bad one never reaches it.</summary>
    public FilterNode? Filter() => Where is null ? null : FilterParser.Parse(Where);
}
