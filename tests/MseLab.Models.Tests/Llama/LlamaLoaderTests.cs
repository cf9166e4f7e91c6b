using MseLab.Models.Checkpoints;
using MseLab.Models.Llama;
using MseLab.TestSupport;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Llama;

public sealed class LlamaLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Model(bool tied = false) => TestCheckpoints.Write(Path.Combine(_dir, "m"), TestCheckpoints.SmallConfig(tied));

    [Fact]
    public void Load_ValidCheckpoint_IsFrozenAndInEvalMode()
    {
        using var model = LlamaLoader.Load(Model());

        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(model.training);
        Assert.Equal(2, model.Layers);
    }

    [Fact]
    public void Load_StateDictNames_EqualHuggingFaceNames()
    {
        using var model = new LlamaForCausalLM(TestCheckpoints.SmallConfig());

        var names = model.named_parameters().Select(p => p.name).ToList();

        Assert.Equal(3 + (2 * 9), names.Count);
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", names);
        Assert.Contains("model.layers.0.mlp.gate_proj.weight", names);
        Assert.Contains("model.layers.0.post_attention_layernorm.weight", names);
        Assert.Contains("model.norm.weight", names);
        Assert.Contains("lm_head.weight", names);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("inv_freq", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingDirectory_NamesItAndSuggestsCreateTiny()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => LlamaLoader.Load(Path.Combine(_dir, "absent")));

        Assert.Contains("absent", error.Message, StringComparison.Ordinal);
        Assert.Contains("create-tiny", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnsupportedArchitecture_NamesIt()
    {
        var dir = Model();
        var config = TestCheckpoints.SmallConfig() with { Architectures = ["MistralForCausalLM"] };
        config.Save(Path.Combine(dir, "config.json"));

        var error = Assert.Throws<NotSupportedException>(() => LlamaLoader.Load(dir));

        Assert.Contains("MistralForCausalLM", error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConfigShapeMismatch_NamesTheTensorAndBothShapes()
    {
        var dir = Model();
        (TestCheckpoints.SmallConfig() with { IntermediateSize = 64 }).Save(Path.Combine(dir, "config.json"));

        var error = Assert.Throws<InvalidDataException>(() => LlamaLoader.Load(dir));

        Assert.Contains("model.layers.0.mlp.gate_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[88, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingAndUnexpectedTensors_AreListedByName()
    {
        var dir = Model();
        var file = Path.Combine(dir, HfCheckpoint.SingleFile);
        var state = Safetensors.LoadStateDict(file);
        state.Remove("model.norm.weight", out var norm);
        state["model.extra.weight"] = norm!;
        Safetensors.SaveStateDict(file, state);

        var error = Assert.Throws<InvalidDataException>(() => LlamaLoader.Load(dir));

        Assert.Contains("Missing tensors: model.norm.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected tensors: model.extra.weight", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage-header")]
    [InlineData("huge-length")]
    public void Load_CorruptSafetensors_FailsNamingTheFile(string damage)
    {
        var dir = Model();
        var file = Path.Combine(dir, HfCheckpoint.SingleFile);
        var bytes = File.ReadAllBytes(file);
        switch (damage)
        {
            case "truncated":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case "garbage-header":
                bytes.AsSpan(8, 16).Fill((byte)'#');
                break;
            default:
                BitConverter.GetBytes(long.MaxValue / 2).CopyTo(bytes, 0);
                break;
        }

        File.WriteAllBytes(file, bytes);

        var error = Assert.Throws<InvalidDataException>(() => LlamaLoader.Load(dir));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TiedHead_UsesTheEmbeddingMatrix()
    {
        using var model = LlamaLoader.Load(Model(tied: true));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var ids = tensor(new long[] { 3, 4, 5 }).unsqueeze(0);
        var logits = model.forward(ids);
        var hiddenTimesEmbedding = model.Forward(model.EmbedTokens(ids));

        Assert.DoesNotContain(model.named_parameters(), p => p.name == "lm_head.weight");
        Assert.True(logits.allclose(hiddenTimesEmbedding));
    }
}
