using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using MseLab.Datasets;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Data;

/// <summary>
/// <c>mselab data prepare ROOT [--dataset NAME]...</c>: converts datasets once into the memory-mappable cache that trials
/// map (keyed by the files' content hash); every dataset present under ROOT when none is named.
/// </summary>
internal sealed class DataPrepareCommand : Command<DataPrepareCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandOption("--dataset <NAME>")]
        [Description("A dataset to prepare (repeatable): mosei, simsv2, meld, cherma, mosi, sims. Default: every dataset with a file under ROOT.")]
        public string[] Datasets { get; init; } = [];
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var root = settings.RootFolder();
        var datasets = settings.Datasets.Length > 0 ? [.. settings.Datasets.Select(DataSettings.ParseDataset).Distinct()] : Present(root);
        if (datasets.Count == 0)
        {
            throw new FileNotFoundException(
                $"no dataset under {root}. Expected one or more of:\n{string.Join("\n", PaperDatasets.All.Select(i => DatasetLayout.Describe(root, i.Dataset)))}");
        }

        var cache = settings.OpenCache();
        var failed = 0;
        foreach (var dataset in datasets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = PaperDatasets.Info(dataset).Name;
            var console = new PrepareConsole(name);
            var clock = Stopwatch.StartNew();
            try
            {
                var hash = cache.Prepare(root, dataset, console);
                var seconds = clock.Elapsed.TotalSeconds;
                var bytes = DatasetLayout.Files(root, dataset).Sum(f => new FileInfo(f).Length);
                Console.Out.WriteLine(console.Wrote
                    ? string.Create(CultureInfo.InvariantCulture, $"{name}: prepared {hash} in {seconds:F1} s ({bytes / 1048576.0 / seconds:F0} MB/s of source) -> {cache.FolderOf(dataset, hash)}")
                    : $"{name}: already prepared {hash} -> {cache.FolderOf(dataset, hash)}");
            }
            catch (Exception e) when (e is DatasetFileException or FileNotFoundException or DirectoryNotFoundException)
            {
                // One bad dataset does not stop the others; the exit code still says something failed.
                Console.Error.WriteLine($"error: {name}: {e.Message}");
                failed++;
            }
        }

        return failed == 0 ? 0 : CliErrors.BadInput;
    }

    // A dataset is present when any of its files is: a partial copy is then reported (missing file and layout), not skipped.
    private static List<PaperDataset> Present(string root) =>
        [.. PaperDatasets.All.Select(i => i.Dataset).Where(d => DatasetLayout.Files(root, d).Any(File.Exists))];
}
