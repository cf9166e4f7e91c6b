using MseLab.Models.Adapter;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Adapter;

public sealed class ModalityLstmEncoderTests
{
    [Fact]
    public void Forward_UnsortedLengths_EqualsPaddedRunOutputAtLastRealStep()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var encoder = new ModalityLstmEncoder("audio", featureDim: 5, hidden: 6);
        var features = randn(4, 9, 5);
        long[] lengths = [3, 9, 1, 6];

        var packed = encoder.call(features, tensor(lengths));

        // Reference: the same weights in a plain LSTM over the padded batch, output taken at len - 1.
        var weights = encoder.state_dict();
        using var plain = nn.LSTM(5, 6, batchFirst: true);
        foreach (var (name, parameter) in plain.named_parameters())
        {
            using var noGrad = no_grad();
            parameter.copy_(weights["rnn." + name]);
        }

        var (padded, _, _) = plain.call(features);                       // (B, T, H)
        var last = stack(lengths.Select((len, i) => padded[i, len - 1]).ToArray()); // (B, H)
        var expected = nn.functional.linear(last, weights["linear.weight"], weights["linear.bias"]);
        Assert.Equal([4L, 256L], packed.shape);
        Assert.True(packed.allclose(expected, rtol: 0, atol: 1e-6), $"max |diff| = {(packed - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void Forward_ZeroLength_CountsAsOneFrame()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var encoder = new ModalityLstmEncoder("video", featureDim: 5, hidden: 6);
        var features = randn(2, 4, 5);

        var zero = encoder.call(features, tensor(new long[] { 0, 2 }));
        var one = encoder.call(features, tensor(new long[] { 1, 2 }));

        Assert.True(zero.allclose(one, rtol: 0, atol: 0));
    }

    [Fact]
    public void Forward_PaddingChangesBeyondLength_OutputUnchanged()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var encoder = new ModalityLstmEncoder("audio", featureDim: 5, hidden: 6);
        var features = randn(2, 7, 5);
        var lengths = tensor(new long[] { 4, 2 });
        var altered = features.clone();
        altered[0, 5] = tensor(new[] { 100f, 100f, 100f, 100f, 100f });
        altered[1, 3] = tensor(new[] { -100f, -100f, -100f, -100f, -100f });

        Assert.True(encoder.call(features, lengths).allclose(encoder.call(altered, lengths), rtol: 0, atol: 0));
    }

    [Fact]
    public void Forward_LengthBeyondPaddedSteps_ThrowsNamingModality()
    {
        using var scope = NewDisposeScope();
        using var encoder = new ModalityLstmEncoder("video", featureDim: 5, hidden: 6);

        var error = Assert.Throws<ArgumentException>(() => encoder.call(randn(2, 4, 5), tensor(new long[] { 4, 5 })));

        Assert.Contains("video length of sample 1 is 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("only 4 time steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_WrongFeatureWidth_ThrowsNamingModality()
    {
        using var scope = NewDisposeScope();
        using var encoder = new ModalityLstmEncoder("audio", featureDim: 5, hidden: 6);

        var error = Assert.Throws<ArgumentException>(() => encoder.call(randn(2, 4, 3), tensor(new long[] { 4, 4 })));

        Assert.Contains("audio features have shape [2, 4, 3]; expected [B, T, 5]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_FloatLengths_Throws()
    {
        using var scope = NewDisposeScope();
        using var encoder = new ModalityLstmEncoder("audio", featureDim: 5, hidden: 6);

        var error = Assert.Throws<ArgumentException>(() => encoder.call(randn(2, 4, 5), tensor(new float[] { 4, 4 })));

        Assert.Contains("integer tensor", error.Message, StringComparison.Ordinal);
    }
}
