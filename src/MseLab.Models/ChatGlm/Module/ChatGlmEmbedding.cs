using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>ChatGLM's <c>Embedding</c>: word_embeddings of padded_vocab_size rows (no position embeddings).</summary>
public sealed class ChatGlmEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "word_embeddings")] private readonly Embedding _wordEmbeddings;

    public ChatGlmEmbedding(ChatGlmConfig config, ScalarType dtype, Device device) : base(nameof(ChatGlmEmbedding))
    {
        _wordEmbeddings = nn.Embedding(config.PaddedVocabSize, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Embeddings (B, T, H) of ids (B, T).</summary>
    public override Tensor forward(Tensor ids) => _wordEmbeddings.forward(ids);
}
