using System.Globalization;
using MseLab.Experiments.Backbones;
using MseLab.Training;
using MseLab.Training.Backbones;
using MseLab.Training.TinyBackbone;
using Spectre.Console;

namespace MseLab.Cli;

/// <summary>Creates a tiny backbone with a progress bar: <c>backbone create-tiny</c>, and a preset's first use.</summary>
internal static class TinyBackboneConsole
{
    /// <summary>The folder of <paramref name="preset"/> in the working folder's models/, made first (with a progress bar) if missing.</summary>
    public static string Locate(PresetBackbone preset)
    {
        var locator = BackboneLocator.Default;
        if (!locator.NeedsCreating(preset))
        {
            return locator.DirectoryOf(preset);
        }

        var directory = locator.DirectoryOf(preset);
        AnsiConsole.MarkupLineInterpolated($"Creating the {preset.Name} backbone in {directory} (first use)...");
        var options = new TinyBackboneOptions { Family = preset.Family };
        WithProgress(options.Steps, progress => locator.Locate(preset, progress));
        AnsiConsole.MarkupLineInterpolated($"{Describe(TinyBackboneFactory.ReadReport(directory))}");
        return directory;
    }

    public static void Create(string directory, TinyBackboneOptions options)
    {
        TinyBackboneReport? report = null;
        WithProgress(options.Steps, progress => report = TinyBackboneFactory.Create(directory, options, progress));
        AnsiConsole.MarkupLineInterpolated($"{Describe(report)} to {directory}.");
    }

    private static void WithProgress(int steps, Action<IProgress<(int Step, double Loss)>> work) =>
        AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("pretraining", maxValue: steps);
                work(new SynchronousProgress<(int Step, double Loss)>(p =>
                {
                    bar.Value = p.Step;
                    bar.Description = string.Create(CultureInfo.InvariantCulture, $"pretraining step {p.Step}/{steps} loss {p.Loss:F3}");
                }));
            });

    private static string Describe(TinyBackboneReport? report) => report is null
        ? "Made the tiny backbone"
        : string.Create(CultureInfo.InvariantCulture,
            $"Wrote a {report.Parameters:N0}-parameter {BackboneFamilies.PaperName(report.Family)}-family model (vocab {report.VocabSize}) in {report.Seconds:F1} s: final loss {report.FinalLoss:F3}, cue probe MOSEI sign {report.MoseiSignAccuracy:P0}, MELD class {report.MeldAccuracy:P0}");
}
