using System.Runtime.CompilerServices;
using MseLab.Models.Backbones;
using MseLab.Models.Llama.Module;
using MseLab.Models.Qwen.Module;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen;

/// <summary>
/// Qwen-1 <c>QWenModel</c> (modeling_qwen.py): wte, the blocks h.N, ln_f. Positions are 0..T-1 of the sequence (the
/// cache's length first). In eval mode two length quirks apply beyond seq_length: dynamic NTK (the rotary base grows
/// with the alpha of the prefill length, reused for every token decoded with that cache) and logn attention.
/// </summary>
public sealed class QwenModel : nn.Module<Tensor, Tensor>
{
    private readonly QwenConfig _config;
    private readonly QwenRotaryEmbedding _rotary;

    // The remote code keeps the prefill's alpha on the rotary module (rotary_emb._ntk_alpha_cached_list) and reuses it
    // while decoding; keyed by cache here, so two generations on one model do not share it.
    private readonly ConditionalWeakTable<KvCache, PrefillAlpha> _cachedAlpha = [];

    [ComponentName(Name = "wte")] private readonly Embedding _wte;
    [ComponentName(Name = "h")] private readonly ModuleList<QwenBlock> _h;
    [ComponentName(Name = "ln_f")] private readonly LlamaRMSNorm _lnF;

    public QwenModel(QwenConfig config, ScalarType dtype, Device device) : base(nameof(QwenModel))
    {
        _config = config;
        _rotary = new QwenRotaryEmbedding(config.RotaryDim, config.RotaryEmbBase);
        _wte = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        _h = new ModuleList<QwenBlock>();
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            _h.Add(new QwenBlock(config, dtype, device));
        }

        _lnF = new LlamaRMSNorm(config.HiddenSize, config.LayerNormEpsilon, dtype, device);
        RegisterComponents();
    }

    public Embedding Wte => _wte;

    /// <summary>Hidden states of token ids (B, T).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Forward(_wte.forward(ids), cache: null).MoveToOuterDisposeScope();
    }

    /// <summary>Hidden states (B, T, D) after ln_f, continuing the cache's positions if one is given.</summary>
    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var length = inputsEmbeds.shape[1];
        var keyLength = past + length;
        var seqLength = _config.TrainedLength;

        var alpha = NtkAlpha(cache, past, keyLength, seqLength);
        var (cos, sin) = _rotary.Tables(past, length, alpha, inputsEmbeds.device);
        var logn = !training && _config.UseLognAttn && keyLength > seqLength ? LognScale(past, length, seqLength, inputsEmbeds.device) : null;

        var x = inputsEmbeds;
        for (var i = 0; i < _h.Count; i++)
        {
            x = _h[i].forward(new QwenAttentionInput(x, cos, sin, logn, cache, i));
        }

        return _lnF.forward(x).MoveToOuterDisposeScope();
    }

    private double NtkAlpha(KvCache? cache, long past, long keyLength, int seqLength)
    {
        if (training || !_config.UseDynamicNtk)
        {
            return 1;
        }

        if (cache is not null && past > 0)
        {
            return _cachedAlpha.TryGetValue(cache, out var prefill) ? prefill.Alpha
                : throw new InvalidOperationException("This KV cache was filled by another model: Qwen reuses the alpha of the prefill that started the cache.");
        }

        var alpha = QwenRotaryEmbedding.NtkAlpha(keyLength, seqLength);
        if (cache is not null)
        {
            _cachedAlpha.AddOrUpdate(cache, new PrefillAlpha(alpha));
        }

        return alpha;
    }

    private static Tensor LognScale(long past, long length, int seqLength, Device device)
    {
        var factors = new float[length];
        for (var i = 0; i < length; i++)
        {
            factors[i] = QwenRotaryEmbedding.LognScale(past + i, seqLength);
        }

        return tensor(factors, device: device).view(length, 1);   // (T, 1), broadcast over (B, nh, T, hd)
    }

    private sealed record PrefillAlpha(double Alpha);
}
