using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MseLab.Models.Runtime;
using MseLab.Training.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary><c>mselab bench train</c>: forward and adapter train-step timings for a tiny and a mid-size LLaMA.</summary>
internal sealed class BenchTrainCommand : Command<BenchTrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--iterations <N>")]
        [Description("Measured iterations per figure (median reported; 2 warm-up iterations first). Default 10.")]
        [DefaultValue(10)]
        public int Iterations { get; init; } = 10;

        [CommandOption("--batch-size <N>")]
        [Description("Batch size (default 8, the paper's LLaMA2 MOSEI batch).")]
        [DefaultValue(8)]
        public int BatchSize { get; init; } = 8;

        [CommandOption("--threads <N>")]
        [Description("Intra-op threads for both TorchSharp and PyTorch (default 1).")]
        [DefaultValue(1)]
        public int Threads { get; init; } = 1;

        [CommandOption("--device <DEVICE>")]
        [Description("cpu (default), cuda or cuda:N.")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        [CommandOption("--compare-pytorch")]
        [Description("Also time the same frozen-backbone work in PyTorch (needs python3 with torch, e.g. Debian's python3-torch).")]
        public bool ComparePyTorch { get; init; }

        [CommandOption("--tiny-only")]
        [Description("Skip the mid-size model (hidden 512, 8 layers).")]
        public bool TinyOnly { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreads(settings.Threads);
        var device = TorchRuntime.ParseDevice(settings.Device);
        var models = settings.TinyOnly ? new[] { ("tiny", TrainBenchmark.Tiny) } : [("tiny", TrainBenchmark.Tiny), ("mid 512x8", TrainBenchmark.MidSize)];
        var columns = new List<(TrainBenchmarkResult Result, string PyForward, string PyStep)>();
        foreach (var (name, config) in models)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]measuring {name}...[/]");
            var result = TrainBenchmark.Run(name, config, settings.BatchSize, settings.Iterations, device);
            var (pyForward, pyStep) = settings.ComparePyTorch ? PyTorch(config, settings) : ("-", "-");
            columns.Add((result, pyForward, pyStep));
        }

        // Figures as rows and models as columns: stays readable in an 80-column terminal or a log.
        var table = new Table().Title($"adapter training: batch {settings.BatchSize}, sequence {TrainBenchmark.SequenceLength}, {settings.Threads} thread(s), {settings.Device}").AddColumn("figure");
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column.Result.Name).RightAligned());
        }

        void Row(string figure, Func<(TrainBenchmarkResult Result, string PyForward, string PyStep), string> value) =>
            table.AddRow([figure, .. columns.Select(value)]);
        Row("backbone parameters", c => string.Create(CultureInfo.InvariantCulture, $"{c.Result.Parameters / 1e6:F2}M"));
        Row("forward, frozen (ms)", c => F(c.Result.ForwardMs));
        Row("backbone step, grads to inputs only (ms)", c => F(c.Result.BackboneStepMs));
        Row("adapter train step (ms)", c => F(c.Result.AdapterStepMs));
        Row("adapter step / forward (target <= 2.3)", c => c.Result.StepToForwardRatio.ToString("F2", CultureInfo.InvariantCulture));
        Row("training samples/s", c => F(c.Result.SamplesPerSecond));
        Row("peak resident memory (MB)", c => F(c.Result.PeakResidentMegabytes));
        if (settings.ComparePyTorch)
        {
            Row("PyTorch forward (ms)", c => c.PyForward);
            Row("PyTorch backbone step (ms)", c => c.PyStep);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Peak memory is the process's peak RSS so far (cumulative across columns). The PyTorch figures are only as good as " +
            "the PyTorch build that runs them: Debian's python3-torch uses a generic BLAS.");
        return 0;
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static (string Forward, string Step) PyTorch(Models.Llama.LlamaConfig c, Settings s)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_train_step.py");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Set on some machines for old OpenBLAS builds; they slow a current one. Unset for this measurement only.
        info.Environment.Remove("OPENBLAS_CORETYPE");
        info.Environment.Remove("OPENBLAS_L2_SIZE");
        string[] args =
        [
            script, "--hidden", $"{c.HiddenSize}", "--intermediate", $"{c.IntermediateSize}", "--layers", $"{c.NumHiddenLayers}", "--heads", $"{c.NumAttentionHeads}",
            "--kv-heads", $"{c.KeyValueHeads}", "--vocab", $"{c.VocabSize}", "--batch", $"{s.BatchSize}", "--seq", $"{TrainBenchmark.SequenceLength}", "--prefix", "5",
            "--pseudo", "4", "--labels", "4", "--iterations", $"{s.Iterations}", "--threads", $"{s.Threads}",
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {python}");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"--compare-pytorch: {python} {script} failed: {error.Trim()} (install PyTorch, e.g. apt-get install python3-torch)");
        }

        using var json = JsonDocument.Parse(output);
        return (F(json.RootElement.GetProperty("forward_ms").GetDouble()), F(json.RootElement.GetProperty("backbone_step_ms").GetDouble()));
    }
}
