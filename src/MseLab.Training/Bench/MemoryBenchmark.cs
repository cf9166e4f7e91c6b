using System.Diagnostics;
using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using MseLab.Models.Checkpoints;
using MseLab.Models.Llama;
using MseLab.Models.Runtime;
using MseLab.Training.Backbones;
using MseLab.Training.TinyBackbone;
using MseLab.Training.Trials;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Training.Bench;

/// <summary>What one scenario of the memory benchmark measured in its own process.</summary>
/// <param name="Scenario">The scenario's name (see <see cref="MemoryBenchmark.Run"/>).</param>
/// <param name="PeakMegabytes">VmHWM at the end: the process's peak resident set.</param>
/// <param name="BaselineMegabytes">VmHWM after torch was initialised, before the scenario's work.</param>
/// <param name="Seconds">Wall time of the scenario's work.</param>
/// <param name="Metrics">Per trial, every number of its result (train losses, validation and test metrics) in a fixed order.</param>
public sealed record MemoryScenarioResult(string Scenario, double PeakMegabytes, double BaselineMegabytes, double Seconds, IReadOnlyList<double[]> Metrics);

/// <summary>
/// The scenarios of <c>mselab bench memory</c> on the 512x8 preset (<see cref="TrainBenchmark.MidSize"/>). Each runs in
/// a process of its own so that peaks do not mix: loading the checkpoint (streamed onto meta-built modules, or as before:
/// random weights first and the whole file as a state dict), one trial alone, and N trials at once sharing one backbone.
/// </summary>
public static class MemoryBenchmark
{
    /// <summary>The benchmark's synthetic task: small, so that four trials finish in a minute or two on two cores.</summary>
    public const string Dataset = "synthetic:mosei?train=32&valid=16&test=16";

    /// <summary>Writes the 512x8 model folder (random weights, fp32) with a tiny tokenizer, unless it is there.</summary>
    public static string EnsureModel(string directory)
    {
        if (File.Exists(Path.Combine(directory, HfCheckpoint.SingleFile)))
        {
            return directory;
        }

        TorchRuntime.Initialize();
        var tokenizerSource = directory + ".tokenizer";
        TinyBackboneFactory.Create(tokenizerSource, new TinyBackboneOptions { Steps = 1 });
        Directory.CreateDirectory(directory);
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json" })
        {
            File.Copy(Path.Combine(tokenizerSource, file), Path.Combine(directory, file), overwrite: true);
        }

        var tiny = LlamaConfig.Load(Path.Combine(tokenizerSource, "config.json"));
        Directory.Delete(tokenizerSource, recursive: true);
        // The preset's shape and vocabulary; ids past the tokenizer's decode to nothing, as in a padded HF vocabulary.
        var config = TrainBenchmark.MidSize with
        {
            ModelType = "llama", MaxPositionEmbeddings = 512, BosTokenId = tiny.BosTokenId, EosTokenId = tiny.EosTokenId, PadTokenId = tiny.PadTokenId, TorchDtype = "float32",
        };
        manual_seed(0);
        using var model = new LlamaForCausalLM(config);
        config.Save(Path.Combine(directory, "config.json"));
        HfCheckpoint.Save(model, directory);
        return directory;
    }

    /// <summary>Bytes of the model's weights (the parameters, in their stored dtype).</summary>
    public static long WeightBytes(string directory) => HfCheckpoint.WeightFiles(directory).Sum(f => new FileInfo(f).Length);

    /// <summary>
    /// Runs <paramref name="scenario"/> in this process: <c>load</c>, <c>load-eager</c>, <c>alone:I</c> (trial I by
    /// itself), <c>together:N</c> (trials 0..N-1 at once, one backbone, steps at once as CPU trials run), <c>turns:N</c> (the same,
    /// one step at a time: what trials sharing a GPU do) or <c>separate:N</c> (at once, a backbone each). <paramref name="batchSize"/> sets the trials'
    /// train and evaluation batch (default: the paper's, 8 for LLaMA on MOSEI).
    /// </summary>
    public static MemoryScenarioResult Run(string scenario, string model, string work, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        TorchRuntime.Initialize();
        TorchRuntime.SetThreads(1);
        var baseline = PeakMegabytes();
        var clock = Stopwatch.StartNew();
        var metrics = new List<double[]>();
        var parts = scenario.Split(':');
        switch (parts[0])
        {
            case "load":
                using (LlamaLoader.Load(model))
                {
                }

                break;
            case "load-eager":
                LoadEagerly(model);
                break;
            case "alone":
                metrics.Add(Trial(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), model, work, new BackbonePool(StepTurns.Never), batchSize));
                break;
            case "together" or "turns" or "separate":
                // together: one pool, so one backbone; turns: the same, steps one at a time; separate: a pool per trial, a copy each (as before the pool).
                var shared = new BackbonePool(parts[0] == "turns" ? StepTurns.Always : StepTurns.Never);
                var separate = parts[0] == "separate";
                var trials = Enumerable.Range(0, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))
                    .Select(i => Task.Factory.StartNew(() => Trial(i, model, work, separate ? new BackbonePool(StepTurns.Never) : shared, batchSize), TaskCreationOptions.LongRunning)).ToArray();
                Task.WaitAll(trials);
                metrics.AddRange(trials.Select(t => t.Result));
                break;
            default:
                throw new ArgumentException($"Unknown memory scenario '{scenario}': use load, load-eager, alone:I, together:N, turns:N or separate:N.", nameof(scenario));
        }

        return new MemoryScenarioResult(scenario, PeakMegabytes(), baseline, clock.Elapsed.TotalSeconds, metrics);
    }

    // A random backbone predicts constants, so correlations come out NaN: written as "NaN".
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string ToJson(MemoryScenarioResult result) => JsonSerializer.Serialize(result, Json);

    public static MemoryScenarioResult FromJson(string json) =>
        JsonSerializer.Deserialize<MemoryScenarioResult>(json, Json) ?? throw new InvalidDataException("A memory scenario printed no result.");

    /// <summary>|a - b|, with two NaNs equal (an undefined metric both times) and one NaN infinitely far.</summary>
    public static double Difference(double a, double b) => double.IsNaN(a) || double.IsNaN(b)
        ? (double.IsNaN(a) && double.IsNaN(b) ? 0 : double.PositiveInfinity)
        : Math.Abs(a - b);

    /// <summary>The configuration of trial <paramref name="index"/> of the scenarios (one epoch of <see cref="Dataset"/>).</summary>
    public static TrialConfig TrialConfig(int index, string model, int? batchSize) => new()
    {
        Backbone = BackboneRef.Parse(model),
        Dataset = DatasetRef.Parse(Dataset),
        Seed = 1000 + index,
        LearningRate = 5e-3,
        MaxEpochs = 1,
        BatchSize = batchSize,
        EvalBatchSize = batchSize,
    };

    private static double[] Trial(int index, string model, string work, BackbonePool pool, int? batchSize)
    {
        var config = TrialConfig(index, model, batchSize);
        var directory = Path.Combine(work, $"trial{index}-{Guid.NewGuid():N}");
        var result = new TrialRunner(pool: pool).Run(config, directory);
        Directory.Delete(directory, recursive: true);
        return
        [
            .. result.Epochs.SelectMany(e => new[] { e.TrainLoss }.Concat(e.Validation.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value))),
            .. result.Test.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value),
        ];
    }

    // The loader before streaming: a module with random weights, then each file read whole as a state dict and copied in.
    private static void LoadEagerly(string directory)
    {
        var config = LlamaConfig.Load(Path.Combine(directory, "config.json"));
        using var model = new LlamaForCausalLM(config);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var file in HfCheckpoint.WeightFiles(directory))
        {
            var state = Safetensors.LoadStateDict(file);
            foreach (var (name, tensor) in state)
            {
                parameters[name].copy_(tensor);
                tensor.Dispose();
            }
        }
    }

    /// <summary>VmHWM of this process in MB (Linux); elsewhere the current working set.</summary>
    public static double PeakMegabytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
            {
                return kb / 1024.0;
            }
        }

        return Environment.WorkingSet / (1024.0 * 1024.0);
    }
}
