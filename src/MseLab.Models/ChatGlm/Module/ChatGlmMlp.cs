using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>ChatGLM's MLP: dense_h_to_4h gives 2*ffn features; silu(first half) * second half; dense_4h_to_h.</summary>
public sealed class ChatGlmMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "dense_h_to_4h")] private readonly Linear _denseHTo4h;
    [ComponentName(Name = "dense_4h_to_h")] private readonly Linear _dense4hToH;

    public ChatGlmMlp(ChatGlmConfig config, ScalarType dtype, Device device) : base(nameof(ChatGlmMlp))
    {
        _denseHTo4h = nn.Linear(config.HiddenSize, 2L * config.FfnHiddenSize, hasBias: config.AddBiasLinear, device: device, dtype: dtype);
        _dense4hToH = nn.Linear(config.FfnHiddenSize, config.HiddenSize, hasBias: config.AddBiasLinear, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var halves = _denseHTo4h.forward(x).chunk(2, dim: -1);    // (.., ffn) each: the gate is the first half
        return _dense4hToH.forward(nn.functional.silu(halves[0]) * halves[1]).MoveToOuterDisposeScope();
    }
}
