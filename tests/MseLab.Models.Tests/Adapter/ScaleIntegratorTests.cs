using MseLab.Models.Adapter;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Adapter;

public sealed class ScaleIntegratorTests
{
    [Fact]
    public void Forward_Batch_EqualsConv2dOverScaleAxis()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var integrator = new ScaleIntegrator(3);
        var weights = integrator.state_dict();
        var stacked = randn(4, 256, 3);

        var summed = integrator.call(stacked);
        var conv = nn.functional.conv2d(stacked.unsqueeze(1), weights["Integrating_layer.0.weight"], weights["Integrating_layer.0.bias"]);

        Assert.Equal([4L, 256L], summed.shape);
        Assert.True(summed.allclose(conv.squeeze(3).squeeze(1), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Backward_Batch_InputGradientIsKernelWeightPerScale()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var integrator = new ScaleIntegrator(3);
        var kernel = integrator.state_dict()["Integrating_layer.0.weight"].reshape(1, 1, 3);
        var stacked = randn(4, 256, 3).requires_grad_(true);

        integrator.call(stacked).sum().backward();

        // d(sum)/d x[b, f, s] = w_s for every sample and feature (the check libtorch's batched conv2d backward fails here).
        Assert.True(stacked.grad!.allclose(kernel.expand(4, 256, 3), rtol: 0, atol: 1e-6));
    }
}
