using MseLab.Experiments.Presets;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Adapter;

/// <summary>
/// Multi-Scale Fusion and projector (<c>mutli_scale_fusion</c> in the official <c>CMCM.py</c>, typo kept in the key):
/// three bottleneck MLPs Linear(256 -> D/k) - GELU - Linear(D/k -> 256) with k = 8, 32, 16, a learned 3-way sum,
/// Linear(256 -> D), then Linear(1 -> P) applied per feature, so every pseudo token j is alpha_j * h + beta_j.
/// State-dict keys: <c>scale1.{0,2}.*</c>, <c>scale2.*</c>, <c>scale3.*</c>, <c>integrating.Integrating_layer.0.*</c>,
/// <c>multi_scale_projector.*</c>, <c>projector.*</c>.
/// </summary>
public sealed class MultiScaleFusion : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "scale1")]
    private readonly Sequential _scale1;

    [ComponentName(Name = "scale2")]
    private readonly Sequential _scale2;

    [ComponentName(Name = "scale3")]
    private readonly Sequential _scale3;

    [ComponentName(Name = "integrating")]
    private readonly ScaleIntegrator _integrating;

    [ComponentName(Name = "multi_scale_projector")]
    private readonly Linear _multiScaleProjector;

    [ComponentName(Name = "projector")]
    private readonly Linear _projector;

    /// <param name="config">Sizes; <see cref="MseAdapterConfig.HiddenSize"/> and <see cref="MseAdapterConfig.PseudoTokens"/> are used.</param>
    /// <param name="device">Where to allocate the parameters (null: CPU).</param>
    public MultiScaleFusion(MseAdapterConfig config, Device? device = null)
        : base(nameof(MultiScaleFusion))
    {
        _scale1 = Bottleneck(config.ScaleHidden(0), device);
        _scale2 = Bottleneck(config.ScaleHidden(1), device);
        _scale3 = Bottleneck(config.ScaleHidden(2), device);
        _integrating = new ScaleIntegrator(MseAdapterConfig.Scales.Count, device);
        _multiScaleProjector = nn.Linear(MseAdapterConfig.FusionSize, config.HiddenSize, device: device);
        _projector = nn.Linear(1, config.PseudoTokens, device: device);
        RegisterComponents();
    }

    /// <summary>Turns the fused [B, 256] vector into [B, P, D] pseudo tokens.</summary>
    public override Tensor forward(Tensor fused)
    {
        using var scope = NewDisposeScope();
        var stacked = stack([_scale1.call(fused), _scale2.call(fused), _scale3.call(fused)], dim: 2); // (B, 256, 3)
        var integrated = _integrating.call(stacked);                 // (B, 256)
        var h = _multiScaleProjector.call(integrated);               // (B, D)
        var tokens = _projector.call(h.unsqueeze(2));                // (B, D, P): Linear(1 -> P) per feature
        return tokens.permute(0, 2, 1).contiguous().MoveToOuterDisposeScope(); // (B, P, D)
    }

    // Sequential children are named "0", "1", "2", which gives the reference's scaleN.0.* / scaleN.2.* keys.
    private static Sequential Bottleneck(int width, Device? device) =>
        nn.Sequential(
            nn.Linear(MseAdapterConfig.FusionSize, width, device: device),
            nn.GELU(),
            nn.Linear(width, MseAdapterConfig.FusionSize, device: device));
}
