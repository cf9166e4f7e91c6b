using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using MseLab.Models.Llama;
using MseLab.Models.Prompting;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Backbones;

public sealed class GreedyDecoderStopTests
{
    // The EOS ids of the real tokenizers: LLaMA-2 and ChatGLM3 </s> = 2, Qwen-1 <|endoftext|> = 151643.
    private static readonly Dictionary<string, int> RealEos = new() { ["</s>"] = 2, ["<|endoftext|>"] = 151643 };
    private const int Vocab = 151_851;

    [Theory]
    [InlineData(BackboneFamily.Llama2, 2, true)]
    [InlineData(BackboneFamily.Qwen1, 151643, true)]
    [InlineData(BackboneFamily.ChatGLM3, 2, false)]
    public void Generate_RowEmitsEosMidSequence_StopsThatRowOnlyForHfGenerateFamilies(BackboneFamily family, int eos, bool stops)
    {
        using var tokenizer = new NamedTokens(RealEos, Vocab);
        var stopId = BackboneProfiles.For(family).StopTokenId(tokenizer);
        using var backbone = new ScriptedBackbone([[5, eos, 7, 8], [6, 9, 10, 11]], Vocab);
        using var scope = NewDisposeScope();

        var generated = GreedyDecoder.Generate(backbone, zeros(2, 3, 1), maxNewTokens: 4, stopId);
        var rows = GreedyDecoder.Rows(generated, stopId);

        Assert.Equal(stops ? eos : null, stopId);
        Assert.Equal(new long[] { 2, 4 }, generated.shape);
        Assert.Equal([6, 9, 10, 11], rows[1]);
        if (stops)
        {
            // What follows the EOS is padding (the EOS again), dropped before decoding.
            Assert.Equal(new long[] { 5, eos, eos, eos }, generated[0].data<long>().ToArray());
            Assert.Equal([5], rows[0]);
            Assert.Equal("<5>", tokenizer.Decode(rows[0]));
        }
        else
        {
            // ChatGLM3 keeps generating after its EOS, which decodes to "".
            Assert.Equal([5, eos, 7, 8], rows[0]);
            Assert.Equal("<5><7><8>", tokenizer.Decode(rows[0]));
        }
    }

    [Fact]
    public void Generate_EveryRowEnded_StopsCallingTheBackbone()
    {
        using var backbone = new ScriptedBackbone([[2, 7, 7, 7], [4, 2, 7, 7]], 16);
        using var scope = NewDisposeScope();

        var generated = GreedyDecoder.Generate(backbone, zeros(2, 3, 1), maxNewTokens: 4, stopTokenId: 2);

        Assert.Equal(2, backbone.Calls);
        Assert.Equal(new long[] { 2, 2, 4, 2 }, generated.data<long>().ToArray());
        Assert.Equal([[], [4]], GreedyDecoder.Rows(generated, 2));
    }

    [Fact]
    public void Generate_NoStopToken_RunsAllSteps()
    {
        using var backbone = new ScriptedBackbone([[2, 2, 2, 2]], 16);
        using var scope = NewDisposeScope();

        var generated = GreedyDecoder.Generate(backbone, zeros(1, 3, 1), maxNewTokens: 4);

        Assert.Equal(4, backbone.Calls);
        Assert.Equal([[2, 2, 2, 2]], GreedyDecoder.Rows(generated, stopTokenId: null));
    }

    [Fact]
    public void Generate_LlamaWithKvCacheAndStopToken_EqualsTheUncachedLoopCutAtTheStopToken()
    {
        manual_seed(3);
        using var model = new LlamaForCausalLM(TestCheckpoints.SmallConfig());
        LlamaLoader.Freeze(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prompt = model.EmbedTokens(tensor(new long[,] { { 1, 8, 20, 31, 4 }, { 1, 60, 2, 2, 9 } }));
        var free = GreedyDecoder.Generate(model, prompt, maxNewTokens: 5);
        // Stop at the token row 0 generates second (a real mid-sequence stop for that row, whatever the weights).
        var stop = free[0, 1].item<long>();

        var generated = GreedyDecoder.Generate(model, prompt, maxNewTokens: 5, stop);
        var rows = GreedyDecoder.Rows(generated, stop);

        for (var r = 0; r < 2; r++)
        {
            var expected = free[r].data<long>().ToArray().TakeWhile(id => id != stop).Select(id => (int)id).ToArray();
            Assert.Equal(expected, rows[r]);
        }

        Assert.Equal(free[0, 0].item<long>(), generated[0, 0].item<long>());
    }
}
