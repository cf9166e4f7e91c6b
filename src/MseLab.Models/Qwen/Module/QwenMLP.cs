using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen.Module;

/// <summary>
/// Qwen-1 SwiGLU (modeling_qwen.py QWenMLP): c_proj(w1(x) * silu(w2(x))). The gate is w2, and each branch has
/// intermediate_size / 2 outputs. Biases only when no_bias is false.
/// </summary>
public sealed class QwenMLP : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "w1")] private readonly Linear _w1;
    [ComponentName(Name = "w2")] private readonly Linear _w2;
    [ComponentName(Name = "c_proj")] private readonly Linear _cProj;

    public QwenMLP(QwenConfig config, ScalarType dtype, Device device) : base(nameof(QwenMLP))
    {
        _w1 = nn.Linear(config.HiddenSize, config.FfnWidth, hasBias: !config.NoBias, device: device, dtype: dtype);
        _w2 = nn.Linear(config.HiddenSize, config.FfnWidth, hasBias: !config.NoBias, device: device, dtype: dtype);
        _cProj = nn.Linear(config.FfnWidth, config.HiddenSize, hasBias: !config.NoBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return _cProj.forward(_w1.forward(x) * nn.functional.silu(_w2.forward(x))).MoveToOuterDisposeScope();
    }
}
