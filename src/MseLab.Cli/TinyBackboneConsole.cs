using System.Globalization;
using MseLab.Training;
using MseLab.Training.TinyBackbone;
using Spectre.Console;

namespace MseLab.Cli;

/// <summary>Creates a tiny backbone with a progress bar; also behind the <c>--backbone tiny</c> preset.</summary>
internal static class TinyBackboneConsole
{
    /// <summary>The preset name that stands for the tiny backbone in models/tiny-llama, created on first use.</summary>
    public const string Preset = "tiny";

    public static string DefaultDirectory => Path.GetFullPath(Path.Combine("models", "tiny-llama"));

    /// <summary>Resolves a --backbone value: the preset becomes its folder (created if missing); a path stays a path.</summary>
    public static string Resolve(string backbone)
    {
        if (!string.Equals(backbone, Preset, StringComparison.OrdinalIgnoreCase))
        {
            return backbone;
        }

        var dir = DefaultDirectory;
        if (!File.Exists(Path.Combine(dir, "config.json")))
        {
            AnsiConsole.MarkupLineInterpolated($"Creating the tiny backbone in {dir} (first use)...");
            Create(dir, new TinyBackboneOptions());
        }

        return dir;
    }

    public static void Create(string directory, TinyBackboneOptions options)
    {
        TinyBackboneReport? report = null;
        AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("pretraining", maxValue: options.Steps);
                var progress = new SynchronousProgress<(int Step, double Loss)>(p =>
                {
                    bar.Value = p.Step;
                    bar.Description = string.Create(CultureInfo.InvariantCulture, $"pretraining step {p.Step}/{options.Steps} loss {p.Loss:F3}");
                });
                report = TinyBackboneFactory.Create(directory, options, progress);
            });

        AnsiConsole.MarkupLineInterpolated(
            $"Wrote a {report!.Parameters:N0}-parameter LLaMA (vocab {report.VocabSize}) to {directory} in {report.Seconds:F1} s: final loss {report.FinalLoss:F3}, cue probe MOSEI sign {report.MoseiSignAccuracy:P0}, MELD class {report.MeldAccuracy:P0}.");
    }
}
