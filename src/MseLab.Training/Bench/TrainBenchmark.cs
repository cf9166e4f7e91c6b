using System.Diagnostics;
using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;
using MseLab.Models.Llama;
using MseLab.Training.Optimization;
using MseLab.Training.Prompts;
using static TorchSharp.torch;

namespace MseLab.Training.Bench;

/// <summary>Timings of one backbone size, in milliseconds per batch (median over the measured iterations).</summary>
public sealed record TrainBenchmarkResult(
    string Name,
    LlamaConfig Config,
    long Parameters,
    int BatchSize,
    int SequenceLength,
    double ForwardMs,
    double BackboneStepMs,
    double AdapterStepMs,
    double SamplesPerSecond,
    double PeakResidentMegabytes)
{
    /// <summary>Adapter train step over frozen forward (target: at most 2.3).</summary>
    public double StepToForwardRatio => AdapterStepMs / ForwardMs;
}

/// <summary>
/// Measures, on a MOSEI-shaped batch laid out as in training (prefix, P pseudo tokens, L text tokens, prompt, label):
/// the frozen forward pass, a backbone step (forward + backward to the inputs only, no weight gradients), and the full
/// adapter train step (adapter forward, backbone forward and backward, AdamW).
/// </summary>
public static class TrainBenchmark
{
    // A LLaMA prompt as in training: 2-token BOS prefix + "<Multimodal>" pieces, ~30 prompt tokens, 4 label tokens.
    private static readonly PromptTemplate Template = new([1, 1, 30, 31, 32], [.. Enumerable.Range(40, 32)], PseudoTokens: 4, TextLength: 50, PadId: 0);
    private const int LabelTokens = 4;

    public static LlamaConfig Tiny { get; } = new()
    {
        Architectures = ["LlamaForCausalLM"], VocabSize = 700, HiddenSize = 64, IntermediateSize = 176,
        NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
    };

    public static LlamaConfig MidSize { get; } = new()
    {
        Architectures = ["LlamaForCausalLM"], VocabSize = 32000, HiddenSize = 512, IntermediateSize = 1376,
        NumHiddenLayers = 8, NumAttentionHeads = 8, NumKeyValueHeads = 4,
    };

    public static int SequenceLength => Template.ContextLength + LabelTokens;

    public static TrainBenchmarkResult Run(string name, LlamaConfig config, int batchSize, int iterations, Device device)
    {
        manual_seed(0);
        using var backbone = new LlamaForCausalLM(config, ScalarType.Float32, device);
        LlamaLoader.Freeze(backbone);
        using var adapter = new MseAdapter(new MseAdapterConfig(config.HiddenSize, Template.PseudoTokens, 74, 35, 64, 32), device);
        using var optimizer = new AdamW(adapter.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        using var batch = SyntheticBatch(config, batchSize, device);

        var forward = Measure(iterations, () =>
        {
            using var noGrad = no_grad();
            var embeds = Template.Assemble(backbone, batch.Pseudo, backbone.EmbedTokens(batch.Text), batch.Labels);
            backbone.Forward(embeds, logitsFrom: Template.ContextLength - 1).sum().item<float>();
        });

        var backboneStep = Measure(iterations, () =>
        {
            var pseudo = batch.Pseudo.detach().requires_grad_(true);
            var embeds = Template.Assemble(backbone, pseudo, backbone.EmbedTokens(batch.Text), batch.Labels);
            Loss(backbone.Forward(embeds, logitsFrom: Template.ContextLength - 1), batch.Labels).backward();
        });

        var adapterStep = Measure(iterations, () =>
        {
            var text = backbone.EmbedTokens(batch.Text);
            var pseudo = adapter.call(new AdapterInput(text, batch.Audio, batch.AudioLengths, batch.Video, batch.VideoLengths));
            var embeds = Template.Assemble(backbone, pseudo, text, batch.Labels);
            Loss(backbone.Forward(embeds, logitsFrom: Template.ContextLength - 1), batch.Labels).backward();
            optimizer.Update(1e-4);
            optimizer.ZeroGrad();
        });

        return new TrainBenchmarkResult(name, config, backbone.parameters().Sum(p => p.numel()), batchSize, SequenceLength, forward, backboneStep, adapterStep, batchSize / (adapterStep / 1000), MemoryBenchmark.PeakMegabytes());
    }

    private static Tensor Loss(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits[.., ..LabelTokens, ..].reshape(-1, logits.shape[2]), labels.reshape(-1));

    private static double Measure(int iterations, Action step)
    {
        for (var i = 0; i < 2; i++)
        {
            using var warmup = NewDisposeScope();
            step();
        }

        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            step();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times[iterations / 2];
    }

    private static SyntheticInputs SyntheticBatch(LlamaConfig config, int b, Device device)
    {
        var lengths = tensor(Enumerable.Range(0, b).Select(i => 20L + (i * 3)).ToArray());
        return new SyntheticInputs(
            randint(3, config.VocabSize, [b, Template.TextLength], device: device),
            randn([b, 500, 74], device: device),
            lengths,
            randn([b, 500, 35], device: device),
            lengths.clone(),
            randn([b, Template.PseudoTokens, config.HiddenSize], device: device),
            randint(3, config.VocabSize, [b, LabelTokens], device: device));
    }

    private sealed record SyntheticInputs(Tensor Text, Tensor Audio, Tensor AudioLengths, Tensor Video, Tensor VideoLengths, Tensor Pseudo, Tensor Labels) : IDisposable
    {
        public void Dispose()
        {
            foreach (var t in new[] { Text, Audio, AudioLengths, Video, VideoLengths, Pseudo, Labels })
            {
                t.Dispose();
            }
        }
    }
}
