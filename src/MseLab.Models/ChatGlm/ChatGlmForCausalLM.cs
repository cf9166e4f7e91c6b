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
public sealed class ChatGlmForCausalLM : CausalLanguageModel
{
    [ComponentName(Name = "transformer")] private readonly ChatGlmModel _transformer;

    public ChatGlmForCausalLM(ChatGlmConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(ChatGlmForCausalLM), dtype)
    {
        Config = config;
        _transformer = new ChatGlmModel(config, dtype, device ?? CPU);
        RegisterComponents();
    }

    public ChatGlmConfig Config { get; }

    public override int HiddenSize => Config.HiddenSize;

    /// <summary>padded_vocab_size: the logits' columns.</summary>
    public override int VocabSize => Config.PaddedVocabSize;

    public override int Layers => Config.NumLayers;

    public override Device Device => _transformer.OutputLayer.weight!.device;

    public override Tensor EmbedTokens(Tensor ids) => _transformer.Embedding.forward(ids.to(Device));

    protected override Tensor Hidden(Tensor inputsEmbeds, KvCache? cache) => _transformer.Forward(inputsEmbeds, cache);

    protected override Tensor Head(Tensor hidden) => _transformer.OutputLayer.forward(hidden);
}
