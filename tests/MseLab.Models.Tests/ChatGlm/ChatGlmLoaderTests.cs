using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using MseLab.Models.ChatGlm;
using MseLab.Models.ChatGlm.Module;
using MseLab.Models.Checkpoints;
using MseLab.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.ChatGlm;

public sealed class ChatGlmLoaderTests : IDisposable
{
    private const string BinWriter = "Checkpoints/python/write_pytorch_bin.py";

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_OnMeta_GivesTheLogitsOfAModelBuiltWithRandomWeightsThenOverwritten(bool realSwitches)
    {
        // The other switches put TorchSharp's LayerNorm (weight and bias) and biased linears on the meta device.
        var config = realSwitches
            ? ChatGlmCheckpoints.SmallConfig()
            : ChatGlmCheckpoints.SmallConfig() with { RmsNorm = false, AddBiasLinear = true, AddQkvBias = false, PostLayerNorm = false };
        var dir = Model(config);
        using var streamed = ChatGlmLoader.Load(dir);
        using var overwritten = new ChatGlmForCausalLM(config);
        HfCheckpoint.LoadInto(overwritten, dir, name => name == ChatGlmLoader.InvFreqName);
        ChatGlmLoader.Freeze(overwritten);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 1, 2, 17, 3, 90, 42, 8, 61 }).unsqueeze(0);

        Assert.True(streamed.forward(ids).eq(overwritten.forward(ids)).all().item<bool>());
        Assert.Equal(overwritten.named_parameters().Select(p => p.name), streamed.named_parameters().Select(p => p.name));
        Assert.Equal(DeviceType.CPU, streamed.Device.type);
        Assert.All(streamed.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
        Assert.All(streamed.parameters(), p => Assert.False(p.requires_grad));
        // The rotary tables are non-persistent buffers, which TorchSharp 0.107's named_buffers does not list: ask the module.
        var (cos, sin) = streamed.named_modules().Select(m => m.module).OfType<ChatGlmRotaryEmbedding>().Single().Tables(0, 8, ScalarType.Float32);
        Assert.Equal(DeviceType.CPU, cos.device_type);
        Assert.Equal(DeviceType.CPU, sin.device_type);
    }

    [Theory]
    [InlineData("F32", 2)]
    [InlineData("F16", 3)]
    public void Load_PyTorchBinShards_GivesTheLogitsOfTheSafetensorsCheckpoint(string dtype, int shards)
    {
        // THUDM's original release: pytorch_model-0000N-of-0000M.bin written by torch.save (here by Debian's torch),
        // an index, and the persistent inv_freq buffer in a shard. Both folders hold the same seeded model in one dtype.
        var stored = dtype == "F16" ? ScalarType.Float16 : ScalarType.Float32;
        var safetensors = ChatGlmCheckpoints.Write(Path.Combine(_dir, "safetensors"), ChatGlmCheckpoints.SmallConfig(), stored);
        var bin = ChatGlmCheckpoints.Write(Path.Combine(_dir, "bin"), ChatGlmCheckpoints.SmallConfig());
        ChildProcess.RunPython(BinWriter, [bin, dtype, shards.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        File.Delete(Path.Combine(bin, HfCheckpoint.SingleFile));
        File.Copy(Path.Combine(safetensors, "config.json"), Path.Combine(bin, "config.json"), overwrite: true);   // torch_dtype of the stored type
        var files = CheckpointFiles.Find(bin);

        using var fromSafetensors = ChatGlmLoader.Load(safetensors);
        using var fromBin = ChatGlmLoader.Load(bin);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 1, 5, 17, 3, 90, 42, 8, 61, 100 }).unsqueeze(0);

        Assert.Equal(CheckpointFormat.PyTorch, files.Format);
        Assert.Equal(Enumerable.Range(1, shards).Select(i => Path.Combine(bin, $"pytorch_model-{i:00000}-of-{shards:00000}.bin")), files.Files);
        Assert.Contains(ChatGlmLoader.InvFreqName, files.WeightMap!.Keys);
        Assert.True(fromBin.forward(ids).eq(fromSafetensors.forward(ids)).all().item<bool>());
        Assert.All(fromBin.named_parameters(), p => Assert.False(p.parameter.requires_grad, p.name));
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
