using MseLab.Models.Backbones;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm;

/// <summary>
/// THUDM's <c>ChatGLMForConditionalGeneration</c> (remote modeling_chatglm.py of chatglm3-6b-base; config.json says
/// <c>ChatGLMModel</c>): parameter names equal the checkpoint's (<c>transformer.embedding.word_embeddings.weight</c>,
/// <c>transformer.encoder.layers.N...</c>, <c>transformer.output_layer.weight</c>), so it loads 1:1. The logits have
/// padded_vocab_size columns. Trainable when constructed; <see cref="ChatGlmLoader"/> freezes it.
/// </summary>
public sealed class ChatGlmForCausalLM : nn.Module<Tensor, Tensor>, ICausalBackbone
{
    [ComponentName(Name = "transformer")] private readonly ChatGlmModel _transformer;

    public ChatGlmForCausalLM(ChatGlmConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(ChatGlmForCausalLM))
    {
        Config = config;
        DType = dtype;
        _transformer = new ChatGlmModel(config, dtype, device ?? CPU);
        RegisterComponents();
    }

    public ChatGlmConfig Config { get; }

    public int HiddenSize => Config.HiddenSize;

    public int VocabSize => Config.PaddedVocabSize;

    public int Layers => Config.NumLayers;

    public ScalarType DType { get; }

    /// <summary>Where the weights are (read from them: a model built on the meta device moves when its checkpoint loads).</summary>
    public Device Device => _transformer.OutputLayer.weight!.device;

    /// <summary>Logits (B, T, padded_vocab_size) in float32 for token ids (B, T).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Forward(EmbedTokens(ids)).MoveToOuterDisposeScope();
    }

    public Tensor EmbedTokens(Tensor ids) => _transformer.Embedding.forward(ids.to(Device));

    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null, long logitsFrom = 0)
    {
        using var scope = NewDisposeScope();
        var hidden = _transformer.Forward(inputsEmbeds.to(DType).to(Device), cache);
        if (logitsFrom > 0)
        {
            hidden = hidden[.., (int)logitsFrom.., ..];    // (B, T - from, H): the head only where logits are needed
        }

        return _transformer.OutputLayer.forward(hidden).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public IEnumerable<(string Name, Tensor Value)> NamedWeights() => named_parameters().Select(p => (p.name, (Tensor)p.parameter));
}
