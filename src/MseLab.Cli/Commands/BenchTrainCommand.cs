using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MseLab.Models.Runtime;
using MseLab.Training.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

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
        var table = new Table().Title($"adapter training, batch {settings.BatchSize}, sequence {TrainBenchmark.SequenceLength}, {settings.Threads} thread(s), {settings.Device}")
            .AddColumns("model", "params", "forward ms", "backbone step ms", "adapter step ms", "step/forward", "samples/s", "peak RSS MB", "PyTorch forward ms", "PyTorch backbone step ms");
        var models = settings.TinyOnly ? new[] { ("tiny", TrainBenchmark.Tiny) } : [("tiny", TrainBenchmark.Tiny), ("mid (512x8)", TrainBenchmark.MidSize)];
        foreach (var (name, config) in models)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]measuring {name}...[/]");
            var r = TrainBenchmark.Run(name, config, settings.BatchSize, settings.Iterations, device);
            var (pyForward, pyStep) = settings.ComparePyTorch ? PyTorch(config, settings) : ("-", "-");
            table.AddRow(name, string.Create(CultureInfo.InvariantCulture, $"{r.Parameters / 1e6:F1}M"), F(r.ForwardMs), F(r.BackboneStepMs), F(r.AdapterStepMs), r.StepToForwardRatio.ToString("F2", CultureInfo.InvariantCulture),
                F(r.SamplesPerSecond), F(r.PeakResidentMegabytes), pyForward, pyStep);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Targets: step/forward <= 2.3 (no weight gradients for the frozen backbone); backbone step no slower than PyTorch.");
        return 0;
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static (string Forward, string Step) PyTorch(Models.Llama.LlamaConfig c, Settings s)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_train_step.py");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
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
