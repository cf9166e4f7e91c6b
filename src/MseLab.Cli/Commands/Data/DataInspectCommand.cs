using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using MseLab.Datasets.Readers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Data;

/// <summary>
/// <c>mselab data inspect ROOT --dataset NAME</c>: what was read, per split (counts, shapes, sums of the true lengths,
/// label statistics, float64 sums of the cleaned feature arrays), from the cache (prepared first if needed).
/// </summary>
internal sealed class DataInspectCommand : Command<DataInspectCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandOption("--dataset <NAME>")]
        [Description("mosei, simsv2, meld, cherma, mosi or sims.")]
        public string? Dataset { get; init; }

        [CommandOption("--json")]
        [Description("Print {\"dataset\", \"hash\", \"splits\": {split: {\"n\", \"audio_shape\", \"vision_shape\", \"audio_lengths_sum\", \"vision_lengths_sum\", \"labels\", \"audio_sum\", \"vision_sum\"}}}.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var dataset = DataSettings.ParseDataset(settings.Dataset);
        var root = settings.RootFolder();
        var name = Experiments.Datasets.PaperDatasets.Info(dataset).Name;
        using var prepared = settings.OpenCache().Open(root, dataset, progress: new PrepareConsole(name));
        var summary = DatasetSummaries.Of(prepared);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, DatasetSummaries.JsonOptions));
            return 0;
        }

        Print(summary, root, prepared.Directory);
        return 0;
    }

    private static void Print(DatasetSummary summary, string root, string folder)
    {
        static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);
        // Labels are float32 (min and max exactly so): shown at float32 precision, 2.9 rather than 2.900000095.
        static string Label(double value) => ((float)value).ToString(CultureInfo.InvariantCulture);
        static string Shape(IReadOnlyList<int> shape) => $"({string.Join(", ", shape)})";
        static string Labels(LabelSummary labels) => labels.Counts is { } counts
            ? string.Join("  ", counts.Select(c => $"{c.Key}:{c.Value}"))
            : $"min {Label(labels.Min ?? double.NaN)}  max {Label(labels.Max ?? double.NaN)}  mean {Number(labels.Mean ?? double.NaN)}";

        var table = new Table()
            .Title($"{summary.Dataset} under {Markup.Escape(root)}")
            .Caption($"hash {summary.Hash}\ncache {Markup.Escape(folder)}")
            .AddColumn("split").AddColumn(new TableColumn("n").RightAligned()).AddColumn("audio").AddColumn("vision")
            .AddColumn(new TableColumn("lengths sum a / v").RightAligned()).AddColumn("labels")
            .AddColumn(new TableColumn("audio sum").RightAligned()).AddColumn(new TableColumn("vision sum").RightAligned());
        foreach (var (split, s) in summary.Splits)
        {
            table.AddRow(
                split, s.N.ToString(CultureInfo.InvariantCulture), Shape(s.AudioShape), Shape(s.VisionShape),
                string.Create(CultureInfo.InvariantCulture, $"{s.AudioLengthsSum} / {s.VisionLengthsSum}"), Markup.Escape(Labels(s.Labels)),
                Number(s.AudioSum), Number(s.VisionSum));
        }

        AnsiConsole.Write(table);
    }
}
