using MseLab.Models.Backbones;
using MseLab.Models.Qwen;
using MseLab.Models.Qwen.Module;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Qwen;

public sealed class QwenForwardTests
{
    private static QwenForCausalLM Frozen(QwenConfig config, int seed = 3)
    {
        manual_seed(seed);
        var model = new QwenForCausalLM(config);
        QwenLoader.Freeze(model);
        return model;
    }

    private static Tensor Ids(int length, int seed = 9)
    {
        var random = new Random(seed);
        return tensor(Enumerable.Range(0, length).Select(_ => (long)random.Next(97)).ToArray()).unsqueeze(0);   // (1, T)
    }

    /// <summary>Logits (1, T, V) of the prompt's first <paramref name="prefill"/> ids in one call, then one id per call.</summary>
    private static Tensor CachedLogits(QwenForCausalLM model, Tensor ids, int prefill)
    {
        using var cache = new KvCache(model.Layers);
        var parts = new List<Tensor> { model.Forward(model.EmbedTokens(ids[.., ..prefill]), cache) };
        for (var i = prefill; i < ids.shape[1]; i++)
        {
            parts.Add(model.Forward(model.EmbedTokens(ids[.., i..(i + 1)]), cache));
        }

        return cat(parts, dim: 1);
    }

    [Fact]
    public void Forward_WithKvCacheWithinSeqLength_EqualsTheFullForward()
    {
        using var model = Frozen(QwenCheckpoints.SmallConfig(rotaryPct: 0.5, noBias: false, seqLength: 16));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(16);

        var full = model.forward(ids);
        var cached = CachedLogits(model, ids, prefill: 5);

        // A chunk of several new tokens continues the positions too, with the causal mask among them.
        using var cache = new KvCache(model.Layers);
        var chunked = cat([model.Forward(model.EmbedTokens(ids[.., ..7]), cache), model.Forward(model.EmbedTokens(ids[.., 7..]), cache)], dim: 1);

        Assert.True(full.allclose(cached, rtol: 0, atol: 1e-5), $"max diff {(full - cached).abs().max().item<float>()}");
        Assert.True(full.allclose(chunked, rtol: 0, atol: 1e-5));
        Assert.Equal(16, cache.Length);
    }

    [Fact]
    public void Forward_DecodingPastSeqLength_KeepsThePrefillsNtkAlpha()
    {
        using var model = Frozen(QwenCheckpoints.SmallConfig(seqLength: 8));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(20);

        // Prefill 10 ids: alpha 3, which a full forward also takes up to 16 ids, but not at 17..20 (alpha 7).
        var cached = CachedLogits(model, ids, prefill: 10);
        var fullSixteen = model.forward(ids[.., ..16]);
        var fullTwenty = model.forward(ids);

        Assert.True(cached[.., ..16].allclose(fullSixteen, rtol: 0, atol: 1e-5));
        Assert.False(cached[.., 16..].allclose(fullTwenty[.., 16..], rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Forward_PrefillWithinSeqLength_DecodesWithAlphaOneButLognOn()
    {
        var config = QwenCheckpoints.SmallConfig(seqLength: 8);
        using var model = Frozen(config);
        using var withoutNtk = Frozen(config with { UseDynamicNtk = false });   // same seed: same weights
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(14);

        var cached = CachedLogits(model, ids, prefill: 6);

        // Alpha 1 throughout equals the model without NTK; logn still applies to positions 8.. (it follows the key length).
        Assert.True(cached.allclose(withoutNtk.forward(ids), rtol: 0, atol: 1e-5));
        Assert.False(cached.allclose(model.forward(ids), rtol: 0, atol: 1e-3));
    }

    [Theory]
    [InlineData(1, 8, 1)]
    [InlineData(8, 8, 1)]
    [InlineData(9, 8, 3)]
    [InlineData(16, 8, 3)]
    [InlineData(17, 8, 7)]
    [InlineData(32, 8, 7)]
    [InlineData(33, 8, 15)]
    [InlineData(8192, 8192, 1)]
    [InlineData(8193, 8192, 3)]
    public void NtkAlpha_Length_FollowsTheRemoteFormula(long length, int seqLength, double alpha) =>
        Assert.Equal(alpha, QwenRotaryEmbedding.NtkAlpha(length, seqLength));

    [Fact]
    public void LognScale_ByPosition_IsOneUpToSeqLengthThenLogBaseSeqLength()
    {
        Assert.Equal(1f, QwenRotaryEmbedding.LognScale(7, 8));
        Assert.Equal((float)(Math.Log(9) / Math.Log(8)), QwenRotaryEmbedding.LognScale(8, 8));
        Assert.Equal((float)(Math.Log(20) / Math.Log(8)), QwenRotaryEmbedding.LognScale(19, 8));
    }

    [Fact]
    public void Forward_TrainingMode_TurnsBothLengthQuirksOff()
    {
        var config = QwenCheckpoints.SmallConfig(seqLength: 8);
        using var model = Frozen(config);
        using var plain = Frozen(config with { UseDynamicNtk = false, UseLognAttn = false });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(20);

        var eval = model.forward(ids);
        model.train();
        var training = model.forward(ids);

        Assert.True(training.allclose(plain.forward(ids), rtol: 0, atol: 1e-5));
        Assert.False(training.allclose(eval, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Backward_ConstructedDirectly_EveryParameterGetsAGradient()
    {
        manual_seed(4);
        using var model = new QwenForCausalLM(QwenCheckpoints.SmallConfig(tied: true, noBias: false));
        using var scope = NewDisposeScope();

        var logits = model.forward(Ids(6));
        var loss = nn.functional.cross_entropy(logits[0, ..^1], Ids(6)[0, 1..]);
        loss.backward();

        Assert.All(model.named_parameters(), p =>
        {
            Assert.True(p.parameter.requires_grad, p.name);
            Assert.NotNull(p.parameter.grad);
            Assert.True(p.parameter.grad!.abs().sum().item<float>() > 0, $"{p.name} got no gradient");
        });
        Assert.True(float.IsFinite(loss.item<float>()));
    }

    [Fact]
    public void Forward_LogitsFrom_EqualsTheTailOfTheFullLogits()
    {
        using var model = Frozen(QwenCheckpoints.SmallConfig(seqLength: 8));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var embeds = model.EmbedTokens(Ids(12));

        var full = model.Forward(embeds);
        var tail = model.Forward(embeds, logitsFrom: 9);

        Assert.Equal(new long[] { 1, 3, 97 }, tail.shape);
        Assert.True(tail.allclose(full[.., 9..], rtol: 0, atol: 1e-6));
    }
}
