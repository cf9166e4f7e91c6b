using MseLab.Experiments.Backbones;

namespace MseLab.Training.TinyBackbone;

/// <summary>
/// Family, size and pretraining budget of a tiny backbone. Defaults make a model that pretrains in seconds on one CPU
/// thread and that an adapter can steer (a randomly initialised model cannot be steered: PLATFORM.md).
/// </summary>
public sealed record TinyBackboneOptions
{
    public int Seed { get; init; }

    /// <summary>The family whose folder layout, tokenizer and decoder the tiny model has.</summary>
    public BackboneFamily Family { get; init; } = BackboneFamily.Llama2;

    /// <summary>Upper bound of the trained BPE vocabulary (specials and 256 byte pieces included).</summary>
    public int VocabSize { get; init; } = 1024;

    public int HiddenSize { get; init; } = 64;

    public int IntermediateSize { get; init; } = 176;

    public int Layers { get; init; } = 2;

    public int Heads { get; init; } = 4;

    /// <summary>Fewer KV heads than query heads, so the tiny model exercises grouped-query attention like larger LLaMAs.</summary>
    public int KeyValueHeads { get; init; } = 2;

    /// <summary>Full-parameter pretraining steps on the generated corpus.</summary>
    public int Steps { get; init; } = 300;

    public int BatchSize { get; init; } = 16;

    public double LearningRate { get; init; } = 3e-3;
}
