using MseLab.Models.Backbones;
using MseLab.Models.ChatGlm;
using MseLab.Models.ChatGlm.Module;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.ChatGlm;

public sealed class ChatGlmForwardTests
{
    private static ChatGlmForCausalLM Model(ChatGlmConfig config, int seed = 3, ScalarType dtype = ScalarType.Float32)
    {
        manual_seed(seed);
        var model = new ChatGlmForCausalLM(config, dtype);
        ChatGlmLoader.Freeze(model);
        return model;
    }

    public static TheoryData<string> Variants => ["mqa", "no-mqa", "layernorm-post-ln"];

    private static ChatGlmConfig Variant(string name) => name switch
    {
        "no-mqa" => ChatGlmCheckpoints.SmallConfig() with { MultiQueryAttention = false, KvChannels = 12 },
        "layernorm-post-ln" => ChatGlmCheckpoints.SmallConfig() with { RmsNorm = false, ApplyResidualConnectionPostLayernorm = true },
        _ => ChatGlmCheckpoints.SmallConfig(),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Forward_WithCacheInChunks_EqualsTheFullForward(string variant)
    {
        using var model = Model(Variant(variant));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var cache = new KvCache(model.Layers);
        var embeds = model.EmbedTokens(tensor(new long[,] { { 64, 65, 3, 9, 27, 81, 43, 29, 87 }, { 64, 65, 5, 5, 1, 0, 99, 12, 7 } }));

        var full = model.Forward(embeds);
        var first = model.Forward(embeds[.., ..4, ..], cache);          // prefill 4 positions
        var chunk = model.Forward(embeds[.., 4..8, ..], cache);         // 4 more at once: causal among themselves
        var last = model.Forward(embeds[.., 8.., ..], cache);           // one decoding step

        Assert.Equal(9, cache.Length);
        Assert.Equal(new long[] { 2, 9, 101 }, full.shape);
        Assert.True(cat([first, chunk, last], dim: 1).allclose(full, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Cache_HoldsTheKeyValueGroupsOnly()
    {
        using var model = Model(ChatGlmCheckpoints.SmallConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var cache = new KvCache(model.Layers);

        model.Forward(model.EmbedTokens(tensor(new long[,] { { 1, 2, 3 } })), cache);
        var (keys, _) = cache.Append(0, zeros(1, 2, 1, 8), zeros(1, 2, 1, 8));

        Assert.Equal(new long[] { 1, 2, 4, 8 }, keys.shape);                  // (B, g, T, d): 2 groups, not 4 heads
    }

    [Fact]
    public void Forward_LogitsFrom_EqualsTheTailOfTheFullLogits()
    {
        using var model = Model(ChatGlmCheckpoints.SmallConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var embeds = model.EmbedTokens(tensor(new long[,] { { 1, 2, 3, 4, 5, 6 } }));

        var full = model.Forward(embeds);
        var tail = model.Forward(embeds, logitsFrom: 4);

        Assert.Equal(new long[] { 1, 2, 101 }, tail.shape);
        Assert.Equal(ScalarType.Float32, tail.dtype);
        Assert.True(full[.., 4.., ..].allclose(tail, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_PositionsPastSeqLength_FailWithAClearError()
    {
        using var model = Model(ChatGlmCheckpoints.SmallConfig() with { SeqLength = 8 });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var cache = new KvCache(model.Layers);
        var ids = tensor(new long[,] { { 1, 2, 3, 4, 5, 6, 7, 8, 9 } });

        var atLimit = model.Forward(model.EmbedTokens(ids[.., ..8]));
        var tooLong = Assert.Throws<ArgumentException>(() => model.Forward(model.EmbedTokens(ids)));
        model.Forward(model.EmbedTokens(ids[.., ..6]), cache);
        var cachedTooLong = Assert.Throws<ArgumentException>(() => model.Forward(model.EmbedTokens(ids[.., 6..]), cache));

        Assert.Equal(8, atLimit.shape[1]);
        Assert.Contains("seq_length = 8", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("9 positions", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("9 positions", cachedTooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_IsCausal_AndUsesPositions()
    {
        using var model = Model(ChatGlmCheckpoints.SmallConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var a = model.forward(tensor(new long[,] { { 7, 8, 9, 10 } }));
        var b = model.forward(tensor(new long[,] { { 7, 8, 9, 55 } }));
        var shifted = model.forward(tensor(new long[,] { { 7, 7, 8, 9 } }));

        Assert.True(a[.., ..3, ..].allclose(b[.., ..3, ..], rtol: 0, atol: 1e-6));       // a later token changes nothing before it
        Assert.False(a[.., 3, ..].allclose(b[.., 3, ..], rtol: 0, atol: 1e-3));
        Assert.False(a[.., 1, ..].allclose(shifted[.., 2, ..], rtol: 0, atol: 1e-3));    // same prefix shape, other positions
    }

    [Fact]
    public void Rotary_TurnsOnlyTheFirstHalfAsInterleavedPairs()
    {
        var config = ChatGlmCheckpoints.SmallConfig() with { KvChannels = 8 };
        using var rotary = new ChatGlmRotaryEmbedding(config, ScalarType.Float32, CPU);
        using var scope = NewDisposeScope();
        var (cos, sin) = rotary.Tables(3, 1, ScalarType.Float32);                 // position 3: (1, 2)
        var x = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }).reshape(1, 1, 1, 8);

        var y = ChatGlmRotaryEmbedding.Apply(x, cos, sin).data<float>().ToArray();

        // theta_i = 1 / 10000^(2i / 4) for i = 0, 1: angles 3 and 0.03 at position 3, on pairs (1, 2) and (3, 4).
        double[] expected =
        [
            (1 * Math.Cos(3)) - (2 * Math.Sin(3)), (2 * Math.Cos(3)) + (1 * Math.Sin(3)),
            (3 * Math.Cos(0.03)) - (4 * Math.Sin(0.03)), (4 * Math.Cos(0.03)) + (3 * Math.Sin(0.03)),
            5, 6, 7, 8,
        ];
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(expected[i], y[i], 1e-5);
        }

        Assert.Equal(64, rotary.Positions);
    }

    [Theory]
    [InlineData(ScalarType.Float32, "float16", ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16, "float32", ScalarType.BFloat16)]
    [InlineData(ScalarType.Float32, "float32", ScalarType.Float32)]
    public void Rotary_TableIsRoundedLikeTheRemoteInvFreqDtype(ScalarType run, string torchDtype, ScalarType rounding)
    {
        var config = ChatGlmCheckpoints.SmallConfig() with { KvChannels = 16, TorchDtype = torchDtype, RopeRatio = 2 };
        using var rotary = new ChatGlmRotaryEmbedding(config, run, CPU);
        using var scope = NewDisposeScope();
        var (cos, sin) = rotary.Tables(0, 64, ScalarType.Float32);

        var positions = tensor(Enumerable.Range(0, 64).Select(i => (double)i).ToArray()).unsqueeze(1);
        var theta = tensor(new[] { 1.0, 1.0 / Math.Pow(20000, 0.25), 1.0 / Math.Pow(20000, 0.5), 1.0 / Math.Pow(20000, 0.75) });
        var angles = positions * theta.unsqueeze(0);                                   // base 10000 * rope_ratio, d/4 = 4 frequencies

        // Within float32 rounding of the angles, then rounded exactly as the remote cache.half() / .bfloat16().
        Assert.True(cos.allclose(angles.cos().to(ScalarType.Float32).to(rounding).to(ScalarType.Float32), rtol: 0, atol: 1e-6));
        Assert.True(sin.allclose(angles.sin().to(ScalarType.Float32).to(rounding).to(ScalarType.Float32), rtol: 0, atol: 1e-6));
        if (rounding != ScalarType.Float32)
        {
            Assert.True(cos.to(rounding).to(ScalarType.Float32).allclose(cos, rtol: 0, atol: 0));     // exactly representable in the half type
            Assert.False(cos.allclose(angles.cos().to(ScalarType.Float32), rtol: 0, atol: 1e-5));
        }
    }

    [Fact]
    public void Forward_BFloat16Weights_StayCloseToFloat32()
    {
        using var full = Model(ChatGlmCheckpoints.SmallConfig(), seed: 5);
        using var half = Model(ChatGlmCheckpoints.SmallConfig(), dtype: ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weights = full.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in half.named_parameters())
        {
            parameter.copy_(weights[name]);
        }

        var ids = tensor(new long[,] { { 64, 65, 3, 9, 27, 81 } });
        var a = full.forward(ids);
        var b = half.forward(ids);

        Assert.Equal(ScalarType.Float32, b.dtype);
        var scale = a.abs().max().item<float>();
        var drift = (a - b).abs().max().item<float>();
        Assert.True(drift < 0.05 * scale, $"bf16 logits drifted from fp32 by {drift} of {scale}");
    }
}
