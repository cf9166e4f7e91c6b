using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>
/// A frozen decoder-only language model as MSE-Adapter uses it: token embeddings in, logits out, driven by
/// <c>inputs_embeds</c> so pseudo tokens can be spliced in embedding space. LLaMA implements it now; Qwen-1 and
/// ChatGLM3 implement the same contract.
/// </summary>
public interface ICausalBackbone : IDisposable
{
    /// <summary>Hidden size D of the embeddings.</summary>
    int HiddenSize { get; }

    /// <summary>Number of rows of the output head.</summary>
    int VocabSize { get; }

    /// <summary>Number of decoder layers (size of a <see cref="KvCache"/>).</summary>
    int Layers { get; }

    /// <summary>Dtype of the frozen weights and of the embeddings it returns.</summary>
    ScalarType DType { get; }

    /// <summary>Device the weights live on.</summary>
    Device Device { get; }

    /// <summary>Looks up the frozen input embeddings: ids (B, T) int64 to (B, T, D).</summary>
    Tensor EmbedTokens(Tensor ids);

    /// <summary>
    /// Runs the decoder on <paramref name="inputsEmbeds"/> (B, T, D) with a plain causal mask (no padding mask, as the
    /// official code) and returns float32 logits (B, T - logitsFrom, V) for positions logitsFrom..T-1. With a cache, the
    /// inputs continue the cached positions and the cache grows by T.
    /// </summary>
    Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null, long logitsFrom = 0);

    /// <summary>All backbone parameters, to freeze and to check that they stay bit-identical.</summary>
    IEnumerable<(string Name, Tensor Value)> NamedWeights();
}
