using MseLab.Experiments.Presets;
using MseLab.Models.Runtime;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Adapter;

/// <summary>
/// Text-Guide-Mixer (TGM; <c>Text_guide_mixer</c> in the official <c>CMCM.py</c>):
/// g = Linear(D -> 256)(mean over all L text positions), fused = a * g + v * g.
/// There is no LayerNorm and no activation (one third-party write-up adds a LayerNorm; the code has none).
/// State-dict keys: <c>text_mlp.*</c>.
/// </summary>
public sealed class TextGuideMixer : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "text_mlp")]
    private readonly Linear _textMlp;

    /// <param name="hiddenSize">D: the LLM hidden size (width of the text embeddings).</param>
    /// <param name="device">Where to allocate the parameters (null: CPU).</param>
    public TextGuideMixer(int hiddenSize, Device? device = null)
        : base(nameof(TextGuideMixer))
    {
        _textMlp = nn.Linear(hiddenSize, MseAdapterConfig.FusionSize, device: device);
        RegisterComponents();
    }

    /// <summary>Mixes [B, 256] audio and video vectors under the guidance of [B, L, D] text embeddings; returns [B, 256].</summary>
    public override Tensor forward(Tensor audio, Tensor video, Tensor textEmbeds)
    {
        using var scope = NewDisposeScope();

        // Global average over every position, pads included: the official AdaptiveAvgPool1d(1) sees no mask.
        var pooled = textEmbeds.mean([1]);              // (B, D)
        var guide = _textMlp.call(pooled);              // (B, 256)

        // Two products summed (not (a + v) * g) to keep the reference's rounding order.
        return (audio * guide).Plus(video * guide).MoveToOuterDisposeScope();
    }
}
