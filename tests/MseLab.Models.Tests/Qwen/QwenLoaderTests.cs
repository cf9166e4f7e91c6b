using System.Text.Json.Nodes;
using MseLab.Models.Checkpoints;
using MseLab.Models.Qwen;
using MseLab.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Qwen;

public sealed class QwenLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-qwen-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Model(QwenConfig? config = null) => QwenCheckpoints.Write(Path.Combine(_dir, "m"), config ?? QwenCheckpoints.SmallConfig());

    [Fact]
    public void Load_ValidCheckpoint_IsFrozenAndInEvalMode()
    {
        using var model = QwenLoader.Load(Model());

        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(model.training);
        Assert.Equal(2, model.Layers);
        Assert.Equal(32, model.HiddenSize);
        Assert.Equal(97, model.VocabSize);
    }

    [Theory]
    [InlineData(false, 64)]
    [InlineData(true, 8)]
    public void Load_OnMeta_GivesTheLogitsOfAModelBuiltWithRandomWeightsThenOverwritten(bool tied, int seqLength)
    {
        // The tied case also has biases, and a seq_length the 12 tokens pass, so dynamic NTK and logn attention are on.
        var config = QwenCheckpoints.SmallConfig(tied: tied, noBias: !tied, seqLength: seqLength);
        var dir = Model(config);
        using var streamed = QwenLoader.Load(dir);
        using var overwritten = new QwenForCausalLM(config);
        HfCheckpoint.LoadInto(overwritten, dir, name => tied && name == "lm_head.weight");
        QwenLoader.Freeze(overwritten);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 5, 17, 3, 90, 42, 8, 61, 29, 77, 11, 2, 50 }).unsqueeze(0);

        Assert.True(streamed.forward(ids).eq(overwritten.forward(ids)).all().item<bool>());
        Assert.Equal(overwritten.named_parameters().Select(p => p.name), streamed.named_parameters().Select(p => p.name));
        Assert.Equal(DeviceType.CPU, streamed.Device.type);
        Assert.All(streamed.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
        Assert.All(streamed.parameters(), p => Assert.False(p.requires_grad));
        Assert.Empty(streamed.named_buffers(true, true));   // Qwen builds its rotary rows per call, on the activations' device
    }

    [Fact]
    public void StateDict_Names_EqualTheRemoteCodesNamesAndShapes()
    {
        using var model = new QwenForCausalLM(QwenCheckpoints.SmallConfig());

        var shapes = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);

        // [out, in] as nn.Linear stores them; w1/w2 have intermediate_size / 2 = 44 outputs.
        var layer = new Dictionary<string, long[]>
        {
            ["ln_1.weight"] = [32],
            ["attn.c_attn.weight"] = [96, 32],
            ["attn.c_attn.bias"] = [96],
            ["attn.c_proj.weight"] = [32, 32],
            ["ln_2.weight"] = [32],
            ["mlp.w1.weight"] = [44, 32],
            ["mlp.w2.weight"] = [44, 32],
            ["mlp.c_proj.weight"] = [32, 44],
        };
        var expected = new Dictionary<string, long[]>
        {
            ["transformer.wte.weight"] = [97, 32],
            ["transformer.ln_f.weight"] = [32],
            ["lm_head.weight"] = [97, 32],
        };
        foreach (var i in new[] { 0, 1 })
        {
            foreach (var (name, shape) in layer)
            {
                expected[$"transformer.h.{i}.{name}"] = shape;
            }
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), shapes.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, shapes[e.Key]));
    }

    [Fact]
    public void StateDict_NoBiasFalse_AddsTheProjectionAndMlpBiases()
    {
        using var model = new QwenForCausalLM(QwenCheckpoints.SmallConfig(noBias: false));

        var biases = model.state_dict().Keys.Where(k => k.StartsWith("transformer.h.0.", StringComparison.Ordinal) && k.EndsWith(".bias", StringComparison.Ordinal));

        Assert.Equal(
            ["transformer.h.0.attn.c_attn.bias", "transformer.h.0.attn.c_proj.bias", "transformer.h.0.mlp.c_proj.bias", "transformer.h.0.mlp.w1.bias", "transformer.h.0.mlp.w2.bias"],
            biases.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_TiedHead_HasNoLmHeadAndUsesTheEmbeddingMatrix()
    {
        using var model = QwenLoader.Load(Model(QwenCheckpoints.SmallConfig(tied: true)));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var ids = tensor(new long[] { 3, 4, 5 }).unsqueeze(0);
        var logits = model.forward(ids);
        var wte = model.named_parameters().Single(p => p.name == "transformer.wte.weight").parameter;

        Assert.DoesNotContain(model.named_parameters(), p => p.name == "lm_head.weight");
        Assert.Equal(new long[] { 1, 3, 97 }, logits.shape);
        // The last hidden state times wte reproduces the logits: the head is the embedding matrix.
        using var tiedCopy = new QwenForCausalLM(QwenCheckpoints.SmallConfig(tied: false));
        tiedCopy.load_state_dict(model.state_dict().Append(new("lm_head.weight", wte)).ToDictionary(p => p.Key, p => p.Value));
        tiedCopy.eval();
        Assert.True(logits.allclose(tiedCopy.forward(ids), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Load_KvChannelsTimesHeadsNotHidden_IsRefusedNamingTheFileAndTheReason()
    {
        var dir = Model();
        (QwenCheckpoints.SmallConfig() with { KvChannels = 16 }).Save(Path.Combine(dir, "config.json"));

        var error = Assert.Throws<InvalidDataException>(() => QwenLoader.Load(dir));

        Assert.Contains(Path.Combine(dir, "config.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("kv_channels 16 * num_attention_heads 4 = 64 is not hidden_size 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownArchitecture_IsRefusedNamingTheFileAndIt()
    {
        var dir = Model();
        (QwenCheckpoints.SmallConfig() with { Architectures = ["Qwen2ForCausalLM"] }).Save(Path.Combine(dir, "config.json"));

        var error = Assert.Throws<NotSupportedException>(() => QwenLoader.Load(dir));

        Assert.Contains(Path.Combine(dir, "config.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Qwen2ForCausalLM", error.Message, StringComparison.Ordinal);
        Assert.Contains(QwenConfig.Architecture, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seq_length", "seq_length is missing")]
    [InlineData("rotary_pct", "rotary dimension")]
    public void Load_ConfigTheRemoteCodeCannotRun_IsRefusedNamingTheKey(string key, string reason)
    {
        var dir = Model();
        var path = Path.Combine(dir, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (key == "seq_length")
        {
            json.Remove(key);
        }
        else
        {
            json[key] = 0.25;   // int(8 * 0.25) = 2 rotary dims: alpha^(dim / (dim - 2)) divides by zero
        }

        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => QwenLoader.Load(dir));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RealConfigWithoutKvChannels_TakesTheRemoteDefaults()
    {
        // Qwen-1_8B's config.json has no kv_channels: the default 128 fits 2048 / 16 heads.
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, """
            {"architectures": ["QWenLMHeadModel"], "auto_map": {"AutoConfig": "configuration_qwen.QWenConfig", "AutoModelForCausalLM": "modeling_qwen.QWenLMHeadModel"},
             "bf16": false, "fp16": false, "fp32": false, "hidden_size": 2048, "intermediate_size": 11008, "layer_norm_epsilon": 1e-06,
             "max_position_embeddings": 8192, "model_type": "qwen", "no_bias": true, "num_attention_heads": 16, "num_hidden_layers": 24,
             "rotary_emb_base": 10000, "rotary_pct": 1.0, "seq_length": 8192, "tie_word_embeddings": false, "use_dynamic_ntk": true,
             "use_logn_attn": true, "use_flash_attn": "auto", "vocab_size": 151936}
            """);

        var config = QwenConfig.Load(path);

        Assert.Equal(128, config.KvChannels);
        Assert.Equal(128, config.HeadDim);
        Assert.Equal(128, config.RotaryDim);
        Assert.Equal(5504, config.FfnWidth);
        Assert.Equal("modeling_qwen.QWenLMHeadModel", config.AutoMap!["AutoModelForCausalLM"]);
    }

    [Fact]
    public void Load_MissingAndUnexpectedTensors_AreListedByName()
    {
        var dir = Model();
        var file = Path.Combine(dir, HfCheckpoint.SingleFile);
        var state = Safetensors.LoadStateDict(file);
        state.Remove("transformer.h.1.mlp.w2.weight", out var w2);
        state["transformer.h.1.mlp.gate_proj.weight"] = w2!;
        Safetensors.SaveStateDict(file, state);

        var error = Assert.Throws<InvalidDataException>(() => QwenLoader.Load(dir));

        Assert.Contains("Missing tensors: transformer.h.1.mlp.w2.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected tensors: transformer.h.1.mlp.gate_proj.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TiedConfigOverUntiedWeights_SkipsTheStoredHead()
    {
        var dir = Model(QwenCheckpoints.SmallConfig(tied: false));
        QwenCheckpoints.SmallConfig(tied: true).Save(Path.Combine(dir, "config.json"));

        using var model = QwenLoader.Load(dir);

        Assert.DoesNotContain(model.named_parameters(), p => p.name == "lm_head.weight");
    }
}
