using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>
/// Greedy decoding from <c>inputs_embeds</c> with a fixed number of new tokens (no early stop on EOS: the adapter is
/// trained without EOS). Returns only the newly generated ids, so nothing like the official code's
/// <c>outputs[:,1:]</c> BOS-dropping can remove a real token.
/// </summary>
public static class GreedyDecoder
{
    /// <summary>Generates <paramref name="maxNewTokens"/> ids per row: (B, maxNewTokens) int64.</summary>
    public static Tensor Generate(ICausalBackbone backbone, Tensor inputsEmbeds, int maxNewTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var cache = new KvCache(backbone.Layers);

        var last = inputsEmbeds.shape[1] - 1;
        var logits = backbone.Forward(inputsEmbeds.to(backbone.DType), cache, logitsFrom: last); // (B, 1, V)
        var next = logits[.., -1, ..].argmax(-1);                                                  // (B)
        var generated = new List<Tensor> { next };
        for (var step = 1; step < maxNewTokens; step++)
        {
            var embeds = backbone.EmbedTokens(next.unsqueeze(1));                                  // (B, 1, D)
            logits = backbone.Forward(embeds, cache, logitsFrom: 0);
            next = logits[.., -1, ..].argmax(-1);
            generated.Add(next);
        }

        return stack(generated, dim: 1).MoveToOuterDisposeScope();
    }
}
