using System.ComponentModel;
using MseLab.Experiments.Metrics;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

/// <summary><c>mselab metrics TASK FILE.csv</c>: the MSE-Adapter metrics of a prediction file, as JSON on stdout.</summary>
internal sealed class MetricsCommand : Command<MetricsCommand.Settings>
{
    /// <summary>Exit code for bad input (unknown task, unreadable or malformed CSV).</summary>
    public const int BadInput = 2;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<TASK>")]
        [Description(
            "mosi | mosei: has0_acc2, has0_f1, non0_acc2, non0_f1, acc5, acc7, mae, corr. "
            + "sims | simsv2: acc2, acc2_weak, acc3, acc5, f1, mae, corr, r2. "
            + "meld | cherma: acc, weighted_f1. Case-insensitive.")]
        public string Task { get; set; } = "";

        [CommandArgument(1, "<FILE>")]
        [Description(
            "CSV with a header row naming the columns 'truth' and 'prediction' (any order, other columns ignored), "
            + "then one sample per line; numbers in invariant culture (e.g. -1.25, 3, NaN, inf). "
            + "MELD/CHERMA truths are class indices.")]
        public string File { get; set; } = "";

        [CommandOption("--json")]
        [Description("Accepted for scripts; the output is always one JSON object (fractions, not x100).")]
        public bool Json { get; set; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MetricsTask task;
        try
        {
            task = MetricsTaskNames.Parse(settings.Task);
        }
        catch (ArgumentException ex)
        {
            return Fail(Plain(ex));
        }

        try
        {
            var set = PredictionCsv.Read(settings.File);
            var metrics = TaskMetrics.Compute(task, set.Truth, set.Prediction);
            using var stdout = Console.OpenStandardOutput();
            MetricsJson.Write(stdout, metrics);
            return 0;
        }
        catch (PredictionCsvException ex)
        {
            return Fail(ex.Message);
        }
        catch (ArgumentException ex)
        {
            // Values the metrics refuse, e.g. a non-integer MELD truth.
            return Fail($"{settings.File}: {Plain(ex)}");
        }
    }

    // The message without .NET's " (Parameter 'x')" suffix, which means nothing to a CLI user.
    private static string Plain(ArgumentException ex) =>
        ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"mselab metrics: {message}");
        return BadInput;
    }
}
