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
public sealed class QwenForCausalLM : nn.Module<Tensor, Tensor>, ICausalBackbone
{
    [ComponentName(Name = "transformer")] private readonly QwenModel _transformer;
    [ComponentName(Name = "lm_head")] private readonly Linear? _lmHead;

    public QwenForCausalLM(QwenConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(QwenForCausalLM))
    {
        config.Validate("QwenConfig");
        Config = config;
        DType = dtype;
        device ??= CPU;
        _transformer = new QwenModel(config, dtype, device);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    public QwenConfig Config { get; }

    public int HiddenSize => Config.HiddenSize;

    public int VocabSize => Config.VocabSize;

    public int Layers => Config.NumHiddenLayers;

    public ScalarType DType { get; }

    /// <summary>Where the weights are (read from them: a model built on the meta device moves when its checkpoint loads).</summary>
    public Device Device => _transformer.Wte.weight!.device;

    /// <summary>Logits (B, T, V) in float32 for token ids (B, T).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Forward(EmbedTokens(ids)).MoveToOuterDisposeScope();
    }

    public Tensor EmbedTokens(Tensor ids) => _transformer.Wte.forward(ids.to(Device));

    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null, long logitsFrom = 0)
    {
        using var scope = NewDisposeScope();
        var hidden = _transformer.Forward(inputsEmbeds.to(DType).to(Device), cache);
        if (logitsFrom > 0)
        {
            hidden = hidden[.., (int)logitsFrom.., ..];    // (B, T - from, D): the head only where logits are needed
        }

        var logits = _lmHead is null
            ? nn.functional.linear(hidden, _transformer.Wte.weight!)
            : _lmHead.forward(hidden);
        return logits.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public IEnumerable<(string Name, Tensor Value)> NamedWeights() => named_parameters().Select(p => (p.name, (Tensor)p.parameter));
}
