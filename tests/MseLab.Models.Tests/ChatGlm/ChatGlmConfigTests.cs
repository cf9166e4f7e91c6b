using MseLab.Models.ChatGlm;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.ChatGlm;

public sealed class ChatGlmConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-chatglm-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path(string json)
    {
        var path = System.IO.Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Load_RealChatGlm3BaseConfig_ReadsEveryKey()
    {
        // The keys and values of THUDM/chatglm3-6b-base's config.json.
        var path = Path("""
            {
              "_name_or_path": "THUDM/chatglm3-6b-base", "model_type": "chatglm", "architectures": ["ChatGLMModel"],
              "auto_map": {"AutoConfig": "configuration_chatglm.ChatGLMConfig", "AutoModel": "modeling_chatglm.ChatGLMForConditionalGeneration"},
              "add_bias_linear": false, "add_qkv_bias": true, "apply_query_key_layer_scaling": true,
              "apply_residual_connection_post_layernorm": false, "attention_dropout": 0.0, "attention_softmax_in_fp32": true,
              "bias_dropout_fusion": true, "ffn_hidden_size": 13696, "fp32_residual_connection": false, "hidden_dropout": 0.0,
              "hidden_size": 4096, "kv_channels": 128, "layernorm_epsilon": 1e-05, "multi_query_attention": true,
              "multi_query_group_num": 2, "num_attention_heads": 32, "num_layers": 28, "original_rope": true,
              "padded_vocab_size": 65024, "post_layer_norm": true, "rmsnorm": true, "seq_length": 32768, "use_cache": true,
              "torch_dtype": "float16", "transformers_version": "4.27.1", "tie_word_embeddings": false, "eos_token_id": 2, "pad_token_id": 0
            }
            """);

        var config = ChatGlmConfig.Load(path);

        Assert.Equal(28, config.NumLayers);
        Assert.Equal(13696, config.FfnHiddenSize);
        Assert.Equal(2, config.KeyValueGroups);
        Assert.Equal((32 * 128) + (2 * 2 * 128), config.QkvSize);
        Assert.Equal(65024, config.PaddedVocabSize);
        Assert.Equal(32768, config.SeqLength);
        Assert.True(config.AddQkvBias);
        Assert.False(config.AddBiasLinear);
        Assert.Equal(1.0, config.RopeRatio);
        Assert.Equal("modeling_chatglm.ChatGLMForConditionalGeneration", config.AutoMap!["AutoModel"]);
        Assert.Equal(ScalarType.Float16, config.RopeTableType(ScalarType.Float32));
        Assert.Equal(2, config.EosTokenId!.Value.GetInt32());
    }

    [Fact]
    public void Load_MinimalConfig_TakesTheRemoteDefaults()
    {
        var config = ChatGlmConfig.Load(Path("""{"model_type": "chatglm"}"""));

        Assert.Equal(28, config.NumLayers);
        Assert.Equal(4096, config.HiddenSize);
        Assert.Equal(128, config.KvChannels);
        Assert.Equal(2048, config.SeqLength);
        Assert.Equal(1e-5, config.LayernormEpsilon);
        Assert.True(config.RmsNorm && config.PostLayerNorm && config.ApplyQueryKeyLayerScaling && config.AttentionSoftmaxInFp32);
        Assert.False(config.MultiQueryAttention || config.AddBiasLinear || config.AddQkvBias || config.ApplyResidualConnectionPostLayernorm);
        Assert.Equal(32, config.KeyValueGroups);                      // one group per head without multi-query attention
        Assert.Equal(3 * 32 * 128, config.QkvSize);
        Assert.Equal(ScalarType.Float32, config.RopeTableType(ScalarType.Float32));
    }

    [Theory]
    [InlineData("""{"num_attention_heads": 6, "multi_query_attention": true, "multi_query_group_num": 4}""", "multi_query_group_num 4")]
    [InlineData("""{"kv_channels": 6}""", "kv_channels 6")]
    [InlineData("""{"num_layers": 0}""", "must be positive")]
    [InlineData("""{"seq_length": 0}""", "seq_length 0")]
    [InlineData("""{"rope_ratio": -1}""", "rope_ratio -1")]
    [InlineData("""{"fp32_residual_connection": true}""", "fp32_residual_connection")]
    [InlineData("""{"pre_seq_len": 128}""", "pre_seq_len 128")]
    [InlineData("""{"quantization_bit": 4}""", "quantization_bit 4")]
    [InlineData("""{"num_layers": "many"}""", "not a valid config.json")]
    public void Load_InvalidConfig_FailsNamingTheFileAndTheKey(string json, string expected)
    {
        var path = Path(json);

        var error = Assert.Throws<InvalidDataException>(() => ChatGlmConfig.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"architectures": ["QWenLMHeadModel"]}""", "QWenLMHeadModel")]
    [InlineData("""{"model_type": "llama"}""", "llama")]
    public void Load_OtherFamily_FailsNamingTheFileAndTheArchitecture(string json, string expected)
    {
        var path = Path(json);

        var error = Assert.Throws<NotSupportedException>(() => ChatGlmConfig.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_ThenLoad_RoundTripsWithAutoMap()
    {
        var path = System.IO.Path.Combine(_dir, "config.json");
        var config = ChatGlmCheckpoints.SmallConfig() with { RopeRatio = 3, KvChannels = 12 };

        config.Save(path);
        var text = File.ReadAllText(path);
        var loaded = ChatGlmConfig.Load(path);

        Assert.Contains("\"padded_vocab_size\": 101", text, StringComparison.Ordinal);
        Assert.Contains("\"AutoModel\": \"modeling_chatglm.ChatGLMForConditionalGeneration\"", text, StringComparison.Ordinal);
        Assert.Equal(config.AutoMap!.ToArray(), loaded.AutoMap!.ToArray());
        Assert.Equal(2, loaded.EosTokenId!.Value.GetInt32());
        Assert.Equal(config with { AutoMap = null, Architectures = null, EosTokenId = null }, loaded with { AutoMap = null, Architectures = null, EosTokenId = null });
    }

    [Theory]
    [InlineData(ScalarType.Float32, "float32", ScalarType.Float32)]
    [InlineData(ScalarType.Float32, "float16", ScalarType.Float16)]
    [InlineData(ScalarType.Float32, "bfloat16", ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16, "bfloat16", ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16, "float32", ScalarType.BFloat16)]
    public void RopeTableType_FollowsTheRemoteInvFreqDtype(ScalarType run, string torchDtype, ScalarType expected) =>
        Assert.Equal(expected, (ChatGlmCheckpoints.SmallConfig() with { TorchDtype = torchDtype }).RopeTableType(run));
}
