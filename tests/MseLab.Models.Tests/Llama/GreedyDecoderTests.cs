using MseLab.Models.Backbones;
using MseLab.Models.Llama;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Llama;

public sealed class GreedyDecoderTests
{
    [Fact]
    public void Generate_WithKvCache_EqualsFullRecomputeArgmaxLoop()
    {
        manual_seed(3);
        using var model = new LlamaForCausalLM(TestCheckpoints.SmallConfig());
        LlamaLoader.Freeze(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prompt = model.EmbedTokens(tensor(new long[,] { { 1, 8, 20, 31, 4 }, { 1, 60, 2, 2, 9 } }));

        var generated = GreedyDecoder.Generate(model, prompt, maxNewTokens: 4);

        // Reference: re-run the whole sequence for every new token, no cache.
        var sequence = prompt;
        var expected = new List<Tensor>();
        for (var i = 0; i < 4; i++)
        {
            var next = model.Forward(sequence)[.., -1, ..].argmax(-1);
            expected.Add(next);
            sequence = cat([sequence, model.EmbedTokens(next.unsqueeze(1))], dim: 1);
        }

        Assert.Equal(new long[] { 2, 4 }, generated.shape);
        Assert.Equal(stack(expected, dim: 1).data<long>().ToArray(), generated.data<long>().ToArray());
    }

    [Fact]
    public void Generate_ReturnsOnlyNewTokens_EvenWhenTheFirstIsBos()
    {
        manual_seed(5);
        using var model = new LlamaForCausalLM(TestCheckpoints.SmallConfig());
        LlamaLoader.Freeze(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var prompt = model.EmbedTokens(tensor(new long[,] { { 1, 2, 3 } }));
        var one = GreedyDecoder.Generate(model, prompt, maxNewTokens: 1);
        var three = GreedyDecoder.Generate(model, prompt, maxNewTokens: 3);

        Assert.Equal(new long[] { 1, 1 }, one.shape);
        Assert.Equal(one[0, 0].item<long>(), three[0, 0].item<long>());
    }

    [Fact]
    public void Forward_LogitsFrom_EqualsTheTailOfTheFullLogits()
    {
        manual_seed(11);
        using var model = new LlamaForCausalLM(TestCheckpoints.SmallConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var embeds = model.EmbedTokens(tensor(new long[,] { { 1, 2, 3, 4, 5, 6 } }));

        var full = model.Forward(embeds);
        var tail = model.Forward(embeds, logitsFrom: 4);

        Assert.Equal(new long[] { 1, 2, 97 }, tail.shape);
        Assert.True(full[.., 4.., ..].allclose(tail, rtol: 0, atol: 1e-6));
    }
}
