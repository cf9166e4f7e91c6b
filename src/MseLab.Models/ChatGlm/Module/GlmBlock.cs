using MseLab.Models.Runtime;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>
/// ChatGLM's <c>GLMBlock</c>: pre-norm attention and MLP. The residual is the block input, or the normalised input when
/// apply_residual_connection_post_layernorm is set.
/// </summary>
public sealed class GlmBlock : nn.Module<GlmAttentionInput, Tensor>
{
    private readonly bool _residualPostLayernorm;

    [ComponentName(Name = "input_layernorm")] private readonly nn.Module<Tensor, Tensor> _inputLayernorm;
    [ComponentName(Name = "self_attention")] private readonly ChatGlmSelfAttention _selfAttention;
    [ComponentName(Name = "post_attention_layernorm")] private readonly nn.Module<Tensor, Tensor> _postAttentionLayernorm;
    [ComponentName(Name = "mlp")] private readonly ChatGlmMlp _mlp;

    public GlmBlock(ChatGlmConfig config, int layerNumber, ScalarType dtype, Device device) : base(nameof(GlmBlock))
    {
        _residualPostLayernorm = config.ApplyResidualConnectionPostLayernorm;
        _inputLayernorm = GlmTransformer.Norm(config, dtype, device);
        _selfAttention = new ChatGlmSelfAttention(config, layerNumber, dtype, device);
        _postAttentionLayernorm = GlmTransformer.Norm(config, dtype, device);
        _mlp = new ChatGlmMlp(config, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(GlmAttentionInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        var normed = _inputLayernorm.forward(x);
        var attention = _selfAttention.forward(input with { HiddenStates = normed });
        var h = (_residualPostLayernorm ? normed : x).Plus(attention);
        var normedH = _postAttentionLayernorm.forward(h);
        var output = (_residualPostLayernorm ? normedH : h).Plus(_mlp.forward(normedH));
        return output.MoveToOuterDisposeScope();
    }
}
