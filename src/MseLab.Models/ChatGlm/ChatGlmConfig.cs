using System.Text.Json;
using System.Text.Json.Serialization;
using MseLab.Models.Checkpoints;
using static MseLab.Models.Checkpoints.HfConfigFile;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm;

/// <summary>
/// The fields of a ChatGLM3 config.json (THUDM's remote <c>ChatGLMConfig</c>, configuration_chatglm.py) that the
/// decoder uses. Names follow the JSON; defaults are the remote class's, so a minimal config.json reads the way
/// <c>trust_remote_code</c> reads it.
/// </summary>
public sealed record ChatGlmConfig
{
    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }
    [JsonPropertyName("model_type")] public string? ModelType { get; init; }

    /// <summary>The remote classes (<c>AutoModel</c> etc.); real checkpoints need it for <c>trust_remote_code</c>.</summary>
    [JsonPropertyName("auto_map")] public IReadOnlyDictionary<string, string>? AutoMap { get; init; }
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 28;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 4096;
    [JsonPropertyName("ffn_hidden_size")] public int FfnHiddenSize { get; init; } = 13696;

    /// <summary>Head size d; need not be hidden_size / num_attention_heads (the dense projection maps nh*d to hidden).</summary>
    [JsonPropertyName("kv_channels")] public int KvChannels { get; init; } = 128;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 32;

    /// <summary>Multi-query attention: <see cref="MultiQueryGroupNum"/> key/value groups shared by the query heads.</summary>
    [JsonPropertyName("multi_query_attention")] public bool MultiQueryAttention { get; init; }
    [JsonPropertyName("multi_query_group_num")] public int MultiQueryGroupNum { get; init; } = 1;

    /// <summary>Rows of the embedding and the output layer (the tokenizer has fewer ids: 64798 of 65024).</summary>
    [JsonPropertyName("padded_vocab_size")] public int PaddedVocabSize { get; init; } = 65024;

    /// <summary>Informational: the remote config sets it to padded_vocab_size; the model never reads it.</summary>
    [JsonPropertyName("vocab_size")] public int? VocabSize { get; init; }

    /// <summary>Positions of the rotary table: a longer sequence is an error, as in the remote code.</summary>
    [JsonPropertyName("seq_length")] public int SeqLength { get; init; } = 2048;
    [JsonPropertyName("layernorm_epsilon")] public double LayernormEpsilon { get; init; } = 1e-5;

    /// <summary>RMSNorm when true (ChatGLM3), LayerNorm with bias when false.</summary>
    [JsonPropertyName("rmsnorm")] public bool RmsNorm { get; init; } = true;
    [JsonPropertyName("apply_residual_connection_post_layernorm")] public bool ApplyResidualConnectionPostLayernorm { get; init; }
    [JsonPropertyName("post_layer_norm")] public bool PostLayerNorm { get; init; } = true;
    [JsonPropertyName("add_bias_linear")] public bool AddBiasLinear { get; init; }
    [JsonPropertyName("add_qkv_bias")] public bool AddQkvBias { get; init; }

    /// <summary>Scores scaled by 1/(sqrt(d)*layer) then by layer: changes rounding only.</summary>
    [JsonPropertyName("apply_query_key_layer_scaling")] public bool ApplyQueryKeyLayerScaling { get; init; } = true;
    [JsonPropertyName("attention_softmax_in_fp32")] public bool AttentionSoftmaxInFp32 { get; init; } = true;

    /// <summary>Not supported (the remote code applies it to input ids only and then mixes dtypes); must be false.</summary>
    [JsonPropertyName("fp32_residual_connection")] public bool Fp32ResidualConnection { get; init; }

    /// <summary>Read by the remote model but without effect (it always rotates interleaved pairs).</summary>
    [JsonPropertyName("original_rope")] public bool OriginalRope { get; init; } = true;

    /// <summary>Rotary base is 10000 * rope_ratio (later THUDM files; the 6B files have no key, i.e. 1).</summary>
    [JsonPropertyName("rope_ratio")] public double RopeRatio { get; init; } = 1.0;

    /// <summary>P-tuning v2 prefix length: not supported, must be absent or null.</summary>
    [JsonPropertyName("pre_seq_len")] public int? PreSeqLen { get; init; }

    /// <summary>In-place int4/int8 quantisation of the remote code: not supported, must be 0.</summary>
    [JsonPropertyName("quantization_bit")] public int QuantizationBit { get; init; }
    /// <summary>A number or a list of numbers, as HF configs write it (2 in chatglm3-6b-base).</summary>
    [JsonPropertyName("eos_token_id")] public JsonElement? EosTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }

    /// <summary>
    /// Dtype of the stored weights. It also sets the dtype of the remote model's <c>inv_freq</c> buffer, and so
    /// whether its cos/sin table is rounded to half precision (see <see cref="RopeTableType"/>).
    /// </summary>
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; init; }

    /// <summary>Query heads per key/value group: nh with multi-query attention off (one group per head).</summary>
    [JsonIgnore] public int KeyValueGroups => MultiQueryAttention ? MultiQueryGroupNum : NumAttentionHeads;

    /// <summary>Output width of query_key_value: nh*d + 2*g*d.</summary>
    [JsonIgnore] public int QkvSize => (NumAttentionHeads * KvChannels) + (2 * KeyValueGroups * KvChannels);

    /// <summary>auto_map of THUDM/chatglm3-6b-base's config.json.</summary>
    public static IReadOnlyDictionary<string, string> RealAutoMap { get; } = new Dictionary<string, string>
    {
        ["AutoConfig"] = "configuration_chatglm.ChatGLMConfig",
        ["AutoModel"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
        ["AutoModelForCausalLM"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
        ["AutoModelForSeq2SeqLM"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
        ["AutoModelForSequenceClassification"] = "modeling_chatglm.ChatGLMForSequenceClassification",
    };

    /// <summary>
    /// A config with the switches of THUDM/chatglm3-6b-base (architecture, auto_map, multi-query attention, qkv bias
    /// only, RMSNorm, final layernorm, layer scaling, softmax in fp32, eos 2, pad 0) and the given sizes; vocab_size
    /// equals <paramref name="paddedVocab"/> and torch_dtype is float32.
    /// </summary>
    public static ChatGlmConfig Chatglm3Like(int layers, int hidden, int ffn, int kvChannels, int heads, int groups, int paddedVocab, int seqLength) => new()
    {
        Architectures = ["ChatGLMModel"],
        ModelType = "chatglm",
        AutoMap = RealAutoMap,
        NumLayers = layers,
        HiddenSize = hidden,
        FfnHiddenSize = ffn,
        KvChannels = kvChannels,
        NumAttentionHeads = heads,
        MultiQueryAttention = true,
        MultiQueryGroupNum = groups,
        PaddedVocabSize = paddedVocab,
        VocabSize = paddedVocab,
        SeqLength = seqLength,
        LayernormEpsilon = 1e-5,
        RmsNorm = true,
        ApplyResidualConnectionPostLayernorm = false,
        PostLayerNorm = true,
        AddBiasLinear = false,
        AddQkvBias = true,
        ApplyQueryKeyLayerScaling = true,
        AttentionSoftmaxInFp32 = true,
        Fp32ResidualConnection = false,
        OriginalRope = true,
        EosTokenId = JsonSerializer.SerializeToElement(2),
        PadTokenId = 0,
        TorchDtype = "float32",
    };

    /// <summary>Reads and validates <paramref name="path"/> (a config.json).</summary>
    public static ChatGlmConfig Load(string path) => HfConfigFile.Load<ChatGlmConfig>(path, "ChatGLM3", (config, source) => config.Validate(source));

    /// <summary>Writes the config in the layout of THUDM's config.json.</summary>
    public void Save(string path) => HfConfigFile.Save(this, path);

    /// <summary>
    /// The remote code builds <c>inv_freq</c> in config.torch_dtype and rounds the cos/sin table to it when it is
    /// float16 or bfloat16; a model cast to half precision (<c>.half()</c>) rounds to its own dtype. So: the run dtype
    /// when it is half precision, else torch_dtype when that is, else float32 (no rounding).
    /// </summary>
    public ScalarType RopeTableType(ScalarType runType) => runType switch
    {
        ScalarType.Float16 or ScalarType.BFloat16 => runType,
        _ => TorchDtype switch
        {
            "float16" => ScalarType.Float16,
            "bfloat16" => ScalarType.BFloat16,
            _ => ScalarType.Float32,
        },
    };

    /// <summary>Throws an error naming <paramref name="source"/> when the config cannot describe a supported ChatGLM3 decoder.</summary>
    public void Validate(string source)
    {
        var arch = Architectures is { Count: > 0 } ? Architectures[0] : null;
        if (arch is not null && arch is not ("ChatGLMModel" or "ChatGLMForConditionalGeneration"))
        {
            throw new NotSupportedException(
                $"{source}: architecture '{arch}' is not supported by the ChatGLM3 loader (expected ChatGLMModel, as THUDM/chatglm3-6b-base writes it).");
        }

        if (ModelType is not null && ModelType != "chatglm")
        {
            throw new NotSupportedException($"{source}: model_type '{ModelType}' is not supported by the ChatGLM3 loader (expected \"chatglm\").");
        }

        Require(PaddedVocabSize > 0 && HiddenSize > 0 && FfnHiddenSize > 0 && NumLayers > 0 && NumAttentionHeads > 0 && KvChannels > 0,
            source, "padded_vocab_size, hidden_size, ffn_hidden_size, num_layers, num_attention_heads and kv_channels must be positive");
        Require(KvChannels % 4 == 0, source,
            $"kv_channels {KvChannels} must be a multiple of 4 (rotary embeddings turn pairs of the first kv_channels/2 dims)");
        Require(!MultiQueryAttention || (MultiQueryGroupNum > 0 && NumAttentionHeads % MultiQueryGroupNum == 0), source,
            $"num_attention_heads {NumAttentionHeads} is not a multiple of multi_query_group_num {MultiQueryGroupNum}");
        Require(SeqLength > 0, source, $"seq_length {SeqLength} must be positive");
        Require(LayernormEpsilon > 0, source, $"layernorm_epsilon {LayernormEpsilon} must be positive");
        Require(RopeRatio > 0, source, $"rope_ratio {RopeRatio} must be positive");
        Require(!Fp32ResidualConnection, source,
            "fp32_residual_connection true is not supported (ChatGLM3 has false; the remote code casts only looked-up embeddings); set it to false");
        Require(PreSeqLen is null, source, $"pre_seq_len {PreSeqLen} (P-tuning v2 prefix) is not supported; remove it or set it to null");
        Require(QuantizationBit == 0, source, $"quantization_bit {QuantizationBit} is not supported; use unquantised weights (quantization_bit 0)");
    }
}
