using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>
/// What every family's <c>...ForCausalLM</c> shares: a decoder body that turns embeddings into final hidden states and an
/// output head, driven through <see cref="ICausalBackbone"/>. A family supplies <see cref="Hidden"/> and <see cref="Head"/>
/// (and its embedding table); the input casting, the head applied only from <c>logitsFrom</c> on, float32 logits and
/// the weight listing are here once.
/// </summary>
public abstract class CausalLanguageModel(string name, ScalarType dtype) : nn.Module<Tensor, Tensor>(name), ICausalBackbone
{
    public abstract int HiddenSize { get; }

    public abstract int VocabSize { get; }

    public abstract int Layers { get; }

    public ScalarType DType { get; } = dtype;

    /// <summary>Where the weights are (read from them: a model built on the meta device moves when its checkpoint loads).</summary>
    public abstract Device Device { get; }

    public abstract Tensor EmbedTokens(Tensor ids);

    /// <summary>Logits (B, T, V) in float32 for token ids (B, T).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Forward(EmbedTokens(ids)).MoveToOuterDisposeScope();
    }

    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null, long logitsFrom = 0)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(inputsEmbeds.to(DType).to(Device), cache);
        if (logitsFrom > 0)
        {
            hidden = hidden[.., (int)logitsFrom.., ..];    // (B, T - from, D): the head only where logits are needed
        }

        return Head(hidden).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public IEnumerable<(string Name, Tensor Value)> NamedWeights() => named_parameters().Select(p => (p.name, (Tensor)p.parameter));

    /// <summary>The decoder's final (normalised) hidden states (B, T, D) for embeddings already in <see cref="DType"/> on <see cref="Device"/>.</summary>
    protected abstract Tensor Hidden(Tensor inputsEmbeds, KvCache? cache);

    /// <summary>The output head: hidden states to logits in the model's dtype.</summary>
    protected abstract Tensor Head(Tensor hidden);
}
