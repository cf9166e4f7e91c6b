using MseLab.Models.Adapter;
using MseLab.Models.Runtime;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Adapter;

public sealed class MseAdapterForwardTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Forward_BatchOfB_ReturnsFloat32PseudoTokensBxPxD(int batch)
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var lengths = Enumerable.Range(1, batch).Select(i => (long)i).ToArray();

        var tokens = adapter.call(TinyAdapter.Batch(lengths, lengths));

        Assert.Equal([batch, 3L, 64L], tokens.shape);
        Assert.Equal(ScalarType.Float32, tokens.dtype);
        Assert.True(tokens.isfinite().all().item<bool>());
    }

    [Fact]
    public void Forward_SingleSample_EqualsSameSampleInsideBatch()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var batch = TinyAdapter.Batch([4, 9, 2], [3, 1, 4]);
        var single = new AdapterInput(batch.TextEmbeds[1..2], batch.Audio[1..2], batch.AudioLengths[1..2], batch.Video[1..2], batch.VideoLengths[1..2]);

        var all = adapter.call(batch);
        var one = adapter.call(single);

        Assert.True(one[0].allclose(all[1], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_PseudoTokens_AreAffineCopiesOfOneVector()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var weights = adapter.state_dict();
        var alpha = weights["mutli_scale_fusion.projector.weight"][.., 0]; // (P)
        var beta = weights["mutli_scale_fusion.projector.bias"];           // (P)

        var tokens = adapter.call(TinyAdapter.Batch([4, 9], [3, 1]));      // (B, P, D)

        // token_j = alpha_j * h + beta_j, so (token_j - beta_j) / alpha_j is the same h for every j.
        var h = (tokens - beta.view(1, -1, 1)) / alpha.view(1, -1, 1);
        for (var j = 1; j < 3; j++)
        {
            Assert.True(h[.., j].allclose(h[.., 0], rtol: 1e-4, atol: 1e-5), $"token {j} is not an affine copy of token 0");
        }
    }

    [Fact]
    public void Forward_PadEmbeddingChanged_OutputChanges()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var input = TinyAdapter.Batch([4, 9], [3, 1]);
        var before = adapter.call(input);

        // Position 0 is a left pad in a left-padded text; the mean over L has no mask, so it still counts.
        var text = input.TextEmbeds.clone();
        text[0, 0] = text[0, 0].Plus(ones_like(text[0, 0]));
        var after = adapter.call(input with { TextEmbeds = text });

        Assert.False(after[0].allclose(before[0], rtol: 0, atol: 1e-6));
        Assert.True(after[1].allclose(before[1], rtol: 0, atol: 0));
    }

    [Fact]
    public void Forward_HalfPrecisionText_EqualsFloat32OfSameValues()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var input = TinyAdapter.Batch([4, 9], [3, 1]);
        var half = input.TextEmbeds.to_type(ScalarType.Float16);

        var fromHalf = adapter.call(input with { TextEmbeds = half });
        var fromFloat = adapter.call(input with { TextEmbeds = half.to_type(ScalarType.Float32) });

        Assert.Equal(ScalarType.Float32, fromHalf.dtype);
        Assert.True(fromHalf.allclose(fromFloat, rtol: 0, atol: 0));
    }

    [Fact]
    public void Backward_PseudoTokenLoss_ReachesEveryAdapterParameterButNotText()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var input = TinyAdapter.Batch([4, 9, 1], [3, 1, 4]);

        adapter.call(input).Squared().mean().backward();

        Assert.False(input.TextEmbeds.requires_grad);
        Assert.All(adapter.named_parameters(), p =>
        {
            Assert.NotNull(p.parameter.grad);
            Assert.True(p.parameter.grad!.abs().sum().item<float>() > 0, $"{p.name} got an all-zero gradient");
        });
    }

    [Fact]
    public void Forward_TextOfWrongWidth_ThrowsNamingTensor()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var input = TinyAdapter.Batch([4, 9], [3, 1]);

        var error = Assert.Throws<ArgumentException>(() => adapter.call(input with { TextEmbeds = randn(2, 6, 32) }));

        Assert.Contains("TextEmbeds has shape [2, 6, 32]; expected [B, L, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_VideoBatchMismatch_ThrowsNamingTensor()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create();
        var input = TinyAdapter.Batch([4, 9], [3, 1]);

        var error = Assert.Throws<ArgumentException>(() => adapter.call(input with { Video = input.Video[..1] }));

        Assert.Contains("Video has shape [1, 4, 7] but TextEmbeds has batch size 2", error.Message, StringComparison.Ordinal);
    }
}
