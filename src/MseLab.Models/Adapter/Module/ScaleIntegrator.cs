using MseLab.Models.Runtime;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Adapter;

/// <summary>
/// Weighted sum of the three scale outputs (<c>Integrating</c> in the official <c>CMCM.py</c>): a Conv2d(1, 1, kernel (1, 3))
/// over the stacked [B, 256, 3] scales, i.e. one learned weight per scale plus one bias shared by all 256 features.
/// The Conv2d module is kept so the checkpoint layout is the reference's: <c>Integrating_layer.0.weight</c> [1, 1, 1, 3]
/// and <c>Integrating_layer.0.bias</c> [1].
/// </summary>
public sealed class ScaleIntegrator : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "Integrating_layer")]
    private readonly Sequential _integratingLayer;

    /// <param name="scales">Number of stacked scale outputs (3).</param>
    /// <param name="device">Where to allocate the parameters (null: CPU).</param>
    public ScaleIntegrator(int scales, Device? device = null)
        : base(nameof(ScaleIntegrator))
    {
        _integratingLayer = nn.Sequential(nn.Conv2d(1, 1, kernel_size: (1, scales), stride: (1, 1), device: device));
        RegisterComponents();
    }

    /// <summary>Reduces [B, 256, scales] to [B, 256].</summary>
    public override Tensor forward(Tensor stacked)
    {
        using var scope = NewDisposeScope();
        var conv = (Conv2d)_integratingLayer[0];

        // A (1, scales) kernel with one channel over a (256, scales) image is exactly x @ w + b per feature, so compute
        // that instead of calling conv2d: libtorch 2.10's CPU float32 conv2d backward returns a wrong input gradient
        // for batches larger than one (forward and weight gradient are right), which would corrupt the scale branches.
        var weights = conv.weight!.reshape(-1);          // (scales)
        var summed = stacked.matmul(weights);            // (B, 256)
        return summed.Plus(conv.bias!).MoveToOuterDisposeScope();
    }
}
