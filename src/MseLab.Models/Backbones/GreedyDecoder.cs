using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>
/// Batched greedy decoding from <c>inputs_embeds</c> with a KV cache. Returns only the newly generated ids, so nothing
/// like the official code's <c>outputs[:,1:]</c> BOS-dropping can remove a real token. With a stop token (LLaMA, Qwen:
/// Hugging Face <c>generate</c>) each row ends at its first stop token: later slots hold the stop token again, as HF
/// fills finished rows with padding, and generation ends early once every row has ended. Without one (ChatGLM3's own
/// loop) every row gets all <c>maxNewTokens</c> tokens, whatever they are.
/// </summary>
public static class GreedyDecoder
{
    /// <summary>
    /// Generates up to <paramref name="maxNewTokens"/> ids per row: (B, n) int64 with n ≤ maxNewTokens (n &lt; maxNewTokens
    /// only when every row has emitted <paramref name="stopTokenId"/>). Use <see cref="Rows"/> to cut each row at its stop token.
    /// </summary>
    public static Tensor Generate(ICausalBackbone backbone, Tensor inputsEmbeds, int maxNewTokens, long? stopTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var cache = new KvCache(backbone.Layers);

        var last = inputsEmbeds.shape[1] - 1;
        var logits = backbone.Forward(inputsEmbeds.to(backbone.DType), cache, logitsFrom: last); // (B, 1, V)
        var next = logits[.., -1, ..].argmax(-1);                                                  // (B)
        var generated = new List<Tensor> { next };
        var stop = stopTokenId is { } id ? tensor(id, device: next.device) : null;
        var ended = stop is null ? null : next.eq(stop);                                           // (B) bool
        for (var step = 1; step < maxNewTokens && (ended is null || !ended.all().item<bool>()); step++)
        {
            var embeds = backbone.EmbedTokens(next.unsqueeze(1));                                  // (B, 1, D)
            logits = backbone.Forward(embeds, cache, logitsFrom: 0);
            next = logits[.., -1, ..].argmax(-1);
            if (ended is not null)
            {
                // A finished row is padding from here on: it keeps the stop token, and its logits are ignored.
                next = where(ended, stop!, next);
                ended = ended.logical_or(next.eq(stop!));
            }

            generated.Add(next);
        }

        return stack(generated, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The ids of each row of <paramref name="generated"/> (B, n) before its first <paramref name="stopTokenId"/>
    /// (the stop token and the padding after it are dropped, as HF's decode with <c>skip_special_tokens</c> drops
    /// them); with no stop token, every row whole.
    /// </summary>
    public static IReadOnlyList<int[]> Rows(Tensor generated, long? stopTokenId)
    {
        ArgumentNullException.ThrowIfNull(generated);
        if (generated.dim() != 2)
        {
            throw new ArgumentException($"Generated ids must be (B, n); got shape [{string.Join(", ", generated.shape)}].", nameof(generated));
        }

        var n = (int)generated.shape[1];
        var ids = generated.cpu().data<long>().ToArray();
        var rows = new List<int[]>((int)generated.shape[0]);
        for (var row = 0; row < generated.shape[0]; row++)
        {
            var span = ids.AsSpan(row * n, n);
            var end = stopTokenId is { } stop && span.IndexOf(stop) is var at and >= 0 ? at : n;
            rows.Add(span[..end].ToArray().Select(id => (int)id).ToArray());
        }

        return rows;
    }
}
