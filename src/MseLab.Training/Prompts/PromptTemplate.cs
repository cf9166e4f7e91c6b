using MseLab.Models.Backbones;
using static TorchSharp.torch;

namespace MseLab.Training.Prompts;

/// <summary>
/// One backbone x dataset prompt, resolved to token ids (spec 1.6): <c>prefix ids, P pseudo tokens, L left-padded text
/// ids, suffix ids (&lt;/Multimodal&gt; and the task prompt), label ids</c>. The pseudo tokens are spliced in embedding
/// space; everything else is looked up in the frozen embedding table. No attention mask: pads are attended.
/// </summary>
public sealed record PromptTemplate(int[] PrefixIds, int[] SuffixIds, int PseudoTokens, int TextLength, int PadId)
{
    /// <summary>Positions before the label: prefix + P + L + suffix.</summary>
    public int ContextLength => PrefixIds.Length + PseudoTokens + TextLength + SuffixIds.Length;

    /// <summary>
    /// inputs_embeds (B, context + K, D) in the backbone's dtype from pseudo tokens (B, P, D), the frozen embeddings of
    /// the left-padded text (B, L, D) and optional label ids (B, K) appended for teacher forcing.
    /// </summary>
    public Tensor Assemble(ICausalBackbone backbone, Tensor pseudo, Tensor textEmbeds, Tensor? labelIds = null)
    {
        using var scope = NewDisposeScope();
        var batch = pseudo.shape[0];
        var device = backbone.Device;
        Tensor Embed(int[] ids) => backbone.EmbedTokens(tensor(ids.Select(i => (long)i).ToArray(), device: device)).unsqueeze(0).expand(batch, -1, -1);

        var parts = new List<Tensor> { Embed(PrefixIds), pseudo.to(backbone.DType), textEmbeds, Embed(SuffixIds) };
        if (labelIds is not null)
        {
            parts.Add(backbone.EmbedTokens(labelIds));
        }

        return cat(parts, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>The same layout as plain ids, with <paramref name="pseudoIds"/> standing in the pseudo-token slots (used to pretrain tiny backbones).</summary>
    public int[] TokenIds(int[] pseudoIds, int[] paddedTextIds, int[] labelIds)
    {
        if (pseudoIds.Length != PseudoTokens || paddedTextIds.Length != TextLength)
        {
            throw new ArgumentException($"Expected {PseudoTokens} pseudo ids and {TextLength} text ids, got {pseudoIds.Length} and {paddedTextIds.Length}.");
        }

        return [.. PrefixIds, .. pseudoIds, .. paddedTextIds, .. SuffixIds, .. labelIds];
    }
}
