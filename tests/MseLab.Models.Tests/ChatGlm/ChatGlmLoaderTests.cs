using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using MseLab.Models.ChatGlm;
using MseLab.Models.Checkpoints;
using MseLab.TestSupport;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.ChatGlm;

public sealed class ChatGlmLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-chatglm-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Model(ChatGlmConfig? config = null, ScalarType stored = ScalarType.Float32, bool sharded = false) =>
        ChatGlmCheckpoints.Write(Path.Combine(_dir, "m"), config ?? ChatGlmCheckpoints.SmallConfig(), stored, sharded: sharded);

    [Fact]
    public void StateDictNames_EqualTheRemoteCheckpointNames()
    {
        using var model = new ChatGlmForCausalLM(ChatGlmCheckpoints.SmallConfig());

        // The names of THUDM/chatglm3-6b-base's weight map (28 layers there, 2 here), without the inv_freq buffer.
        string[] perLayer =
        [
            "input_layernorm.weight", "self_attention.query_key_value.weight", "self_attention.query_key_value.bias",
            "self_attention.dense.weight", "post_attention_layernorm.weight", "mlp.dense_h_to_4h.weight", "mlp.dense_4h_to_h.weight",
        ];
        string[] expected =
        [
            "transformer.embedding.word_embeddings.weight",
            .. Enumerable.Range(0, 2).SelectMany(i => perLayer.Select(n => $"transformer.encoder.layers.{i}.{n}")),
            "transformer.encoder.final_layernorm.weight",
            "transformer.output_layer.weight",
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StateDictShapes_FollowTheRemoteLayout()
    {
        var config = ChatGlmCheckpoints.SmallConfig() with { KvChannels = 12 };
        using var model = new ChatGlmForCausalLM(config);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        Assert.Equal([(4 * 12) + (2 * 2 * 12), 32], shapes["transformer.encoder.layers.0.self_attention.query_key_value.weight"]);
        Assert.Equal([32, 4 * 12], shapes["transformer.encoder.layers.0.self_attention.dense.weight"]);
        Assert.Equal([2 * 40, 32], shapes["transformer.encoder.layers.1.mlp.dense_h_to_4h.weight"]);
        Assert.Equal([32, 40], shapes["transformer.encoder.layers.1.mlp.dense_4h_to_h.weight"]);
        Assert.Equal([101, 32], shapes["transformer.embedding.word_embeddings.weight"]);
        Assert.Equal([101, 32], shapes["transformer.output_layer.weight"]);
    }

    [Fact]
    public void StateDictNames_LayerNormBiasLinearNoFinalNorm_AddAndDropTheRightTensors()
    {
        var config = ChatGlmCheckpoints.SmallConfig() with { RmsNorm = false, AddBiasLinear = true, AddQkvBias = false, PostLayerNorm = false };
        using var model = new ChatGlmForCausalLM(config);
        var names = model.state_dict().Keys.ToHashSet(StringComparer.Ordinal);

        Assert.Contains("transformer.encoder.layers.1.input_layernorm.bias", names);
        Assert.Contains("transformer.encoder.layers.1.post_attention_layernorm.bias", names);
        Assert.Contains("transformer.encoder.layers.0.self_attention.query_key_value.bias", names);
        Assert.Contains("transformer.encoder.layers.0.self_attention.dense.bias", names);
        Assert.Contains("transformer.encoder.layers.0.mlp.dense_h_to_4h.bias", names);
        Assert.Contains("transformer.encoder.layers.0.mlp.dense_4h_to_h.bias", names);
        Assert.DoesNotContain(names, n => n.Contains("final_layernorm", StringComparison.Ordinal));
        Assert.Equal(2 + (2 * 12), names.Count);
    }

    [Fact]
    public void Constructed_IsTrainable_Loaded_IsFrozenAndInEvalMode()
    {
        using var fresh = new ChatGlmForCausalLM(ChatGlmCheckpoints.SmallConfig());
        using var loaded = ChatGlmLoader.Load(Model());

        Assert.All(fresh.parameters(), p => Assert.True(p.requires_grad));
        Assert.True(fresh.training);
        Assert.All(loaded.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(loaded.training);
        Assert.Equal(2, loaded.Layers);
        Assert.Equal(101, loaded.VocabSize);
        Assert.Equal(32, loaded.HiddenSize);
    }

    [Theory]
    [InlineData(ScalarType.Float32, false)]
    [InlineData(ScalarType.BFloat16, true)]
    public void Load_CheckpointWithInvFreq_GivesTheWrittenWeights(ScalarType stored, bool sharded)
    {
        var dir = Model(stored: stored, sharded: sharded);
        var files = HfCheckpoint.WeightFiles(dir);
        var written = files.SelectMany(f => Safetensors.LoadStateDict(f)).ToDictionary(p => p.Key, p => p.Value);

        using var model = ChatGlmLoader.Load(dir);

        Assert.Contains(ChatGlmLoader.InvFreqName, written.Keys);
        Assert.Equal(sharded ? 2 : 1, files.Count);
        Assert.All(model.named_parameters(), p => Assert.True(written[p.name].to(ScalarType.Float32).allclose(p.parameter, rtol: 0, atol: 0), p.name));
    }

    [Fact]
    public void BackboneLoader_ChatGlm3Family_LoadsTheFrozenBackbone()
    {
        var dir = Model();

        using var backbone = BackboneLoader.Load(dir, BackboneFamilies.Detect(dir));

        Assert.IsType<ChatGlmForCausalLM>(backbone);
        Assert.All(backbone.NamedWeights(), w => Assert.False(w.Value.requires_grad));
    }

    [Fact]
    public void Load_MissingAndUnexpectedTensors_AreListedByName()
    {
        var dir = Model();
        var file = Path.Combine(dir, HfCheckpoint.SingleFile);
        var state = Safetensors.LoadStateDict(file);
        state.Remove("transformer.encoder.final_layernorm.weight", out var norm);
        state["transformer.encoder.extra.weight"] = norm!;
        Safetensors.SaveStateDict(file, state);

        var error = Assert.Throws<InvalidDataException>(() => ChatGlmLoader.Load(dir));

        Assert.Contains("Missing tensors: transformer.encoder.final_layernorm.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected tensors: transformer.encoder.extra.weight", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("inv_freq", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConfigWithoutFinalLayerNorm_NamesTheCheckpointsExtraTensor()
    {
        var dir = Model();
        (ChatGlmCheckpoints.SmallConfig() with { PostLayerNorm = false }).Save(Path.Combine(dir, "config.json"));

        var error = Assert.Throws<InvalidDataException>(() => ChatGlmLoader.Load(dir));

        Assert.Contains("Unexpected tensors: transformer.encoder.final_layernorm.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GroupCountMismatch_NamesTheTensorAndBothShapes()
    {
        var dir = Model();
        (ChatGlmCheckpoints.SmallConfig() with { MultiQueryGroupNum = 1 }).Save(Path.Combine(dir, "config.json"));

        var error = Assert.Throws<InvalidDataException>(() => ChatGlmLoader.Load(dir));

        Assert.Contains("transformer.encoder.layers.0.self_attention.query_key_value.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[48, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidConfig_NamesTheConfigFile()
    {
        var dir = Model();
        var path = Path.Combine(dir, "config.json");
        (ChatGlmCheckpoints.SmallConfig() with { MultiQueryGroupNum = 3 }).Save(path);

        var error = Assert.Throws<InvalidDataException>(() => ChatGlmLoader.Load(dir));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("multi_query_group_num 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDirectory_NamesItAndSuggestsCreateTiny()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => ChatGlmLoader.Load(Path.Combine(_dir, "absent")));

        Assert.Contains("absent", error.Message, StringComparison.Ordinal);
        Assert.Contains("create-tiny", error.Message, StringComparison.Ordinal);
    }
}
