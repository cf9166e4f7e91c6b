using MseLab.Experiments.Backbones;

namespace MseLab.Experiments.Planning;

/// <summary>
/// The sizes of a frozen backbone that its memory depends on, read from its config.json (<see cref="BackboneShapes"/>).
/// Widths are in elements; <see cref="MlpWidth"/> is the width of one MLP branch (gate, up and the input of down).
/// </summary>
/// <param name="Family">Which model family the sizes were read for.</param>
/// <param name="VocabSize">Rows of the embedding table and of the LM head (ChatGLM3: the padded vocabulary).</param>
/// <param name="HiddenSize">D: the residual width.</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="Heads">Query heads.</param>
/// <param name="KvHeads">Key/value heads (grouped-query or multi-query attention; <see cref="Heads"/> without).</param>
/// <param name="HeadDim">Width of one head.</param>
/// <param name="MlpWidth">Width of one MLP branch: LLaMA intermediate_size, Qwen-1 intermediate_size / 2, ChatGLM3 ffn_hidden_size.</param>
/// <param name="QkvBias">Whether the q/k/v projection has a bias (Qwen-1, ChatGLM3 with add_qkv_bias).</param>
/// <param name="TiedEmbeddings">Whether the LM head shares the embedding table's weights.</param>
/// <param name="Attention">Which attention kernel MseLab runs for the family.</param>
public sealed record BackboneShape(
    BackboneFamily Family,
    long VocabSize,
    long HiddenSize,
    long Layers,
    long Heads,
    long KvHeads,
    long HeadDim,
    long MlpWidth,
    bool QkvBias,
    bool TiedEmbeddings,
    AttentionKernel Attention)
{
    /// <summary>Parameters of one decoder layer: q/k/v, output projection, three MLP matrices, two norms.</summary>
    public long LayerParameters
    {
        get
        {
            var qkv = HiddenSize * (Heads + (2 * KvHeads)) * HeadDim + (QkvBias ? (Heads + (2 * KvHeads)) * HeadDim : 0);
            var output = Heads * HeadDim * HiddenSize;
            var mlp = 3 * HiddenSize * MlpWidth;
            return qkv + output + mlp + (2 * HiddenSize);
        }
    }

    /// <summary>Every parameter: embeddings, LM head (unless tied), the layers and the final norm.</summary>
    public long Parameters => (VocabSize * HiddenSize * (TiedEmbeddings ? 1 : 2)) + (Layers * LayerParameters) + HiddenSize;
}
