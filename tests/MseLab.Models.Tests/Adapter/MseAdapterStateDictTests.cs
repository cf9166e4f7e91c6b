using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Adapter;

public sealed class MseAdapterStateDictTests
{
    // Approved listing for D = 64, P = 3, d_a = 5, d_v = 7, H_a = 6, H_v = 4: the official CMCM.py key names
    // (typo "mutli" included) and PyTorch's shapes, so official checkpoints load 1:1.
    private static readonly string[] Approved =
    [
        "audio_LSTM.rnn.weight_ih_l0 [24, 5]",
        "audio_LSTM.rnn.weight_hh_l0 [24, 6]",
        "audio_LSTM.rnn.bias_ih_l0 [24]",
        "audio_LSTM.rnn.bias_hh_l0 [24]",
        "audio_LSTM.linear.weight [256, 6]",
        "audio_LSTM.linear.bias [256]",
        "video_LSTM.rnn.weight_ih_l0 [16, 7]",
        "video_LSTM.rnn.weight_hh_l0 [16, 4]",
        "video_LSTM.rnn.bias_ih_l0 [16]",
        "video_LSTM.rnn.bias_hh_l0 [16]",
        "video_LSTM.linear.weight [256, 4]",
        "video_LSTM.linear.bias [256]",
        "text_guide_mixer.text_mlp.weight [256, 64]",
        "text_guide_mixer.text_mlp.bias [256]",
        "mutli_scale_fusion.scale1.0.weight [8, 256]",
        "mutli_scale_fusion.scale1.0.bias [8]",
        "mutli_scale_fusion.scale1.2.weight [256, 8]",
        "mutli_scale_fusion.scale1.2.bias [256]",
        "mutli_scale_fusion.scale2.0.weight [2, 256]",
        "mutli_scale_fusion.scale2.0.bias [2]",
        "mutli_scale_fusion.scale2.2.weight [256, 2]",
        "mutli_scale_fusion.scale2.2.bias [256]",
        "mutli_scale_fusion.scale3.0.weight [4, 256]",
        "mutli_scale_fusion.scale3.0.bias [4]",
        "mutli_scale_fusion.scale3.2.weight [256, 4]",
        "mutli_scale_fusion.scale3.2.bias [256]",
        "mutli_scale_fusion.integrating.Integrating_layer.0.weight [1, 1, 1, 3]",
        "mutli_scale_fusion.integrating.Integrating_layer.0.bias [1]",
        "mutli_scale_fusion.multi_scale_projector.weight [64, 256]",
        "mutli_scale_fusion.multi_scale_projector.bias [64]",
        "mutli_scale_fusion.projector.weight [3, 1]",
        "mutli_scale_fusion.projector.bias [3]",
    ];

    [Fact]
    public void StateDict_TinyConfigOnMeta_MatchesApprovedListing()
    {
        using var adapter = new MseAdapter(new MseAdapterConfig(64, 3, 5, 7, 6, 4), device("meta"));

        var listing = adapter.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").ToArray();

        Assert.Equal(Approved, listing);
    }

    [Fact]
    public void Parameters_NewAdapter_AllTrainableFloat32()
    {
        using var adapter = new MseAdapter(new MseAdapterConfig(64, 3, 5, 7, 6, 4));

        var parameters = adapter.named_parameters().ToList();

        Assert.Equal(Approved.Length, parameters.Count);
        Assert.All(parameters, p => Assert.True(p.parameter.requires_grad, p.name));
        Assert.All(parameters, p => Assert.Equal(ScalarType.Float32, p.parameter.dtype));
    }
}
