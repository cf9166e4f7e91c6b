using MseLab.Models.Backbones;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen;

/// <summary>
/// Qwen-1 <c>QWenLMHeadModel</c> (reference: the remote modeling_qwen.py of Qwen/Qwen-1_8B): module and parameter names
/// equal the checkpoint's (<c>transformer.h.N.attn.c_attn.weight</c>, ...). A tied head reuses
/// <c>transformer.wte.weight</c> and has no lm_head tensor. Constructed directly, its parameters are trainable;
/// <see cref="QwenLoader"/> freezes them.
/// </summary>
public sealed class QwenForCausalLM : CausalLanguageModel
{
    [ComponentName(Name = "transformer")] private readonly QwenModel _transformer;
    [ComponentName(Name = "lm_head")] private readonly Linear? _lmHead;

    public QwenForCausalLM(QwenConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(QwenForCausalLM), dtype)
    {
        config.Validate("QwenConfig");
        Config = config;
        device ??= CPU;
        _transformer = new QwenModel(config, dtype, device);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    public QwenConfig Config { get; }

    public override int HiddenSize => Config.HiddenSize;

    public override int VocabSize => Config.VocabSize;

    public override int Layers => Config.NumHiddenLayers;

    public override Device Device => _transformer.Wte.weight!.device;

    public override Tensor EmbedTokens(Tensor ids) => _transformer.Wte.forward(ids.to(Device));

    protected override Tensor Hidden(Tensor inputsEmbeds, KvCache? cache) => _transformer.Forward(inputsEmbeds, cache);

    protected override Tensor Head(Tensor hidden) => _lmHead is null
        ? nn.functional.linear(hidden, _transformer.Wte.weight!)
        : _lmHead.forward(hidden);
}
