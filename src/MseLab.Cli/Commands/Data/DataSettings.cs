using System.ComponentModel;
using MseLab.Datasets.Cache;
using MseLab.Experiments.Datasets;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Data;

/// <summary>What every <c>mselab data</c> command takes: the data root and the cache folder.</summary>
internal class DataSettings : CommandSettings
{
    [CommandArgument(0, "<ROOT>")]
    [Description("The data root: the folder holding MOSEI/, SIMS_V2/, MELD/, CHERMA0723/, MOSI/, SIMS/ in the official layout.")]
    public string Root { get; init; } = "";

    [CommandOption("--cache <DIR>")]
    [Description("The cache folder (default: $MSELAB_DATA_CACHE, else $XDG_CACHE_HOME/mselab/datasets, else ~/.cache/mselab/datasets).")]
    public string? Cache { get; init; }

    public DatasetCache OpenCache() => Cache is { Length: > 0 } folder ? new DatasetCache(folder) : DatasetCache.Default;

    /// <summary>The root as a full path; a root that is not a folder is bad input (exit 2), named.</summary>
    public string RootFolder()
    {
        var root = Path.GetFullPath(Root);
        return Directory.Exists(root) ? root : throw new DirectoryNotFoundException($"data root {root} is not a folder.");
    }

    /// <summary>The dataset named <paramref name="name"/>; an unknown name is bad input listing the valid ones.</summary>
    public static PaperDataset ParseDataset(string? name) =>
        PaperDatasets.TryParse(name, out var dataset)
            ? dataset
            : throw new ArgumentException(string.IsNullOrWhiteSpace(name)
                ? $"--dataset is required. Valid datasets: {string.Join(", ", PaperDatasets.Names)}."
                : $"unknown --dataset '{name}'. Valid datasets: {string.Join(", ", PaperDatasets.Names)}.");
}
