using System.Globalization;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Trials;
using MseLab.Training;
using MseLab.Training.Trials;
using Spectre.Console;

namespace MseLab.Cli;

/// <summary>Runs a trial with a live progress bar (epoch, step, loss, throughput) and prints one line per epoch.</summary>
internal static class TrialConsole
{
    public static TrialResult Run(TrialConfig config, string outputDirectory, LocalDatasets data, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]Trial[/] {config.Summary} -> {outputDirectory}");
        TrialResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("loading", maxValue: 1);
                var lastEpochLine = 0;
                var progress = new SynchronousProgress<TrialProgress>(p =>
                {
                    switch (p.Phase)
                    {
                        case TrialPhase.Training:
                            bar.MaxValue = p.StepsInEpoch;
                            bar.Value = p.Step;
                            bar.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch} step {p.Step}/{p.StepsInEpoch} loss {p.Loss:F4} {p.SamplesPerSecond:F0} samples/s");
                            break;
                        case TrialPhase.Validating when p.Metrics is not null && p.Epoch > lastEpochLine:
                            lastEpochLine = p.Epoch;
                            AnsiConsole.MarkupLineInterpolated($"epoch {p.Epoch,3}  train loss {p.Loss?.ToString("F4", CultureInfo.InvariantCulture)}  valid {Format(p.Metrics)}");
                            break;
                        case TrialPhase.Validating:
                            bar.Description = $"epoch {p.Epoch} validating (generation)";
                            break;
                        case TrialPhase.Testing:
                            bar.Description = "testing the best adapter";
                            break;
                        default:
                            bar.Description = p.Phase.ToString().ToLowerInvariant();
                            break;
                    }
                });
                result = new TrialRunner(progress, data: data).Run(config, outputDirectory, cancellationToken);
            });
        return result!;
    }

    public static void WriteSummary(TrialResult result, string resultPath)
    {
        var table = new Table().Title($"test metrics (best epoch {result.BestEpoch} of {result.Epochs.Count}, {result.StoppedBy})").AddColumns("metric", "value");
        foreach (var (key, value) in result.Test)
        {
            table.AddRow(key, value.ToString("F4", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{result.Timing.TotalSeconds:F1} s in total; result written to {resultPath}");
    }

    public static string Format(IReadOnlyDictionary<string, double> metrics) =>
        string.Join("  ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F4}")));
}
