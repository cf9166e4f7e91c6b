using MseLab.Models.Backbones;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Llama;

/// <summary>
/// HF <c>LlamaForCausalLM</c> (reference: transformers' modeling_llama.py): module and parameter names equal HF's so a
/// checkpoint's state dict maps 1:1. A tied head reuses <c>model.embed_tokens.weight</c> and has no lm_head tensor.
/// </summary>
public sealed class LlamaForCausalLM : nn.Module<Tensor, Tensor>, ICausalBackbone
{
    [ComponentName(Name = "model")] private readonly LlamaModel _model;
    [ComponentName(Name = "lm_head")] private readonly Linear? _lmHead;

    public LlamaForCausalLM(LlamaConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(LlamaForCausalLM))
    {
        Config = config;
        DType = dtype;
        device ??= CPU;
        _model = new LlamaModel(config, dtype, device);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    public int HiddenSize => Config.HiddenSize;

    public int VocabSize => Config.VocabSize;

    public int Layers => Config.NumHiddenLayers;

    public ScalarType DType { get; }

    /// <summary>Where the weights are (read from them: a model built on the meta device moves when its checkpoint loads).</summary>
    public Device Device => _model.EmbedTokens.weight!.device;

    /// <summary>Logits (B, T, V) in float32 for token ids (B, T).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Forward(EmbedTokens(ids)).MoveToOuterDisposeScope();
    }

    public Tensor EmbedTokens(Tensor ids) => _model.EmbedTokens.forward(ids.to(Device));

    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null, long logitsFrom = 0)
    {
        using var scope = NewDisposeScope();
        var hidden = _model.Forward(inputsEmbeds.to(DType).to(Device), cache);
        if (logitsFrom > 0)
        {
            hidden = hidden[.., (int)logitsFrom.., ..];    // (B, T - from, D): the head only where logits are needed
        }

        var logits = _lmHead is null
            ? nn.functional.linear(hidden, _model.EmbedTokens.weight!)
            : _lmHead.forward(hidden);
        return logits.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public IEnumerable<(string Name, Tensor Value)> NamedWeights() => named_parameters().Select(p => (p.name, (Tensor)p.parameter));
}
