using MseLab.Models.Backbones;
using MseLab.Models.ChatGlm.Module;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm;

/// <summary>
/// The remote <c>ChatGLMModel</c> (the <c>transformer</c> of ChatGLMForConditionalGeneration): embedding, rotary table,
/// encoder, and the untied output_layer, which lives here as in the checkpoint but is applied by the causal LM.
/// Positions are 0..T-1 over the whole input (the [gMASK] sop prefix included), continued by a cache.
/// </summary>
public sealed class ChatGlmModel : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "embedding")] private readonly ChatGlmEmbedding _embedding;
    [ComponentName(Name = "rotary_pos_emb")] private readonly ChatGlmRotaryEmbedding _rotaryPosEmb;
    [ComponentName(Name = "encoder")] private readonly GlmTransformer _encoder;
    [ComponentName(Name = "output_layer")] private readonly Linear _outputLayer;

    public ChatGlmModel(ChatGlmConfig config, ScalarType dtype, Device device) : base(nameof(ChatGlmModel))
    {
        _embedding = new ChatGlmEmbedding(config, dtype, device);
        _rotaryPosEmb = new ChatGlmRotaryEmbedding(config, dtype, device);
        _encoder = new GlmTransformer(config, dtype, device);
        _outputLayer = nn.Linear(config.HiddenSize, config.PaddedVocabSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public ChatGlmEmbedding Embedding => _embedding;

    public Linear OutputLayer => _outputLayer;

    public int LayerCount => _encoder.LayerCount;

    /// <summary>Hidden states (B, T, H) of token ids (B, T).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Forward(_embedding.forward(ids), cache: null).MoveToOuterDisposeScope();
    }

    /// <summary>Hidden states (B, T, H) after the encoder (and final_layernorm), continuing the cache's positions.</summary>
    /// <exception cref="ArgumentException">The positions run past config seq_length.</exception>
    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = _rotaryPosEmb.Tables(cache?.Length ?? 0, inputsEmbeds.shape[1], inputsEmbeds.dtype);
        return _encoder.Forward(inputsEmbeds, cos, sin, cache).MoveToOuterDisposeScope();
    }
}
