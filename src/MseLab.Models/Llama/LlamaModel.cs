using MseLab.Models.Backbones;
using MseLab.Models.Llama.Module;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Llama;

/// <summary>HF <c>LlamaModel</c>: embed_tokens, the decoder layers, final RMSNorm. Returns normalised hidden states.</summary>
public sealed class LlamaModel : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "embed_tokens")] private readonly Embedding _embedTokens;
    [ComponentName(Name = "layers")] private readonly ModuleList<LlamaDecoderLayer> _layers;
    [ComponentName(Name = "norm")] private readonly LlamaRMSNorm _norm;
    [ComponentName(Name = "rotary_emb")] private readonly LlamaRotaryEmbedding _rotaryEmb;

    public LlamaModel(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaModel))
    {
        _embedTokens = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        _layers = new ModuleList<LlamaDecoderLayer>();
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            _layers.Add(new LlamaDecoderLayer(config, dtype, device));
        }

        _norm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _rotaryEmb = new LlamaRotaryEmbedding(config.HeadDim, config.RopeTheta, config.MaxPositionEmbeddings, device);
        RegisterComponents();
    }

    public Embedding EmbedTokens => _embedTokens;

    public int LayerCount => _layers.Count;

    /// <summary>Hidden states of token ids (B, T).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Forward(_embedTokens.forward(ids), cache: null).MoveToOuterDisposeScope();
    }

    /// <summary>Hidden states (B, T, D) of input embeddings, continuing the cache's positions if one is given.</summary>
    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var start = cache?.Length ?? 0;
        var (cos, sin) = _rotaryEmb.Tables(start, inputsEmbeds.shape[1], inputsEmbeds.dtype);
        var x = inputsEmbeds;
        for (var i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].forward(new AttentionInput(x, cos, sin, cache, i));
        }

        return _norm.forward(x).MoveToOuterDisposeScope();
    }
}
