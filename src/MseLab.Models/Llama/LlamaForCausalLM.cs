using MseLab.Models.Backbones;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Llama;

/// <summary>
/// HF <c>LlamaForCausalLM</c> (reference: transformers' modeling_llama.py): module and parameter names equal HF's so a
/// checkpoint's state dict maps 1:1. A tied head reuses <c>model.embed_tokens.weight</c> and has no lm_head tensor.
/// </summary>
public sealed class LlamaForCausalLM : CausalLanguageModel
{
    [ComponentName(Name = "model")] private readonly LlamaModel _model;
    [ComponentName(Name = "lm_head")] private readonly Linear? _lmHead;

    public LlamaForCausalLM(LlamaConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(LlamaForCausalLM), dtype)
    {
        Config = config;
        device ??= CPU;
        _model = new LlamaModel(config, dtype, device);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    public override int HiddenSize => Config.HiddenSize;

    public override int VocabSize => Config.VocabSize;

    public override int Layers => Config.NumHiddenLayers;

    public override Device Device => _model.EmbedTokens.weight!.device;

    public override Tensor EmbedTokens(Tensor ids) => _model.EmbedTokens.forward(ids.to(Device));

    protected override Tensor Hidden(Tensor inputsEmbeds, KvCache? cache) => _model.Forward(inputsEmbeds, cache);

    protected override Tensor Head(Tensor hidden) => _lmHead is null
        ? nn.functional.linear(hidden, _model.EmbedTokens.weight!)
        : _lmHead.forward(hidden);
}
