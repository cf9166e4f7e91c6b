using System.Text.Json.Serialization;
using MseLab.Models.Checkpoints;
using static MseLab.Models.Checkpoints.HfConfigFile;

namespace MseLab.Models.Qwen;

/// <summary>
/// The fields of a Qwen-1 (<c>QWenLMHeadModel</c>, trust_remote_code) config.json that the decoder uses. Names follow the
/// JSON; defaults are the remote code's <c>QWenConfig</c> defaults (configuration_qwen.py), so a config.json missing a
/// key reads the way the remote code reads it. Qwen-1_8B's file omits kv_channels (default 128 = 2048 / 16 heads).
/// </summary>
public sealed record QwenConfig
{
    public const string Architecture = "QWenLMHeadModel";
    public const string Type = "qwen";

    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }
    [JsonPropertyName("model_type")] public string? ModelType { get; init; }

    /// <summary>Which remote classes transformers loads (<c>AutoConfig</c>, <c>AutoModelForCausalLM</c>); informational here.</summary>
    [JsonPropertyName("auto_map")] public IReadOnlyDictionary<string, string>? AutoMap { get; init; }

    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 151936;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 4096;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 32;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 32;

    /// <summary>Per-head projection size; the remote code only runs when kv_channels * heads == hidden_size.</summary>
    [JsonPropertyName("kv_channels")] public int KvChannels { get; init; } = 128;

    /// <summary>Twice the SwiGLU branch width: w1 and w2 each have intermediate_size / 2 outputs.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 22016;

    /// <summary>The training context: dynamic NTK and logn attention start beyond it. Not in QWenConfig's signature, but read as config.seq_length.</summary>
    [JsonPropertyName("seq_length")] public int? SeqLength { get; init; }

    /// <summary>Not used by the decoder (positions are unbounded); kept so a saved config reads like the real one.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 8192;
    [JsonPropertyName("layer_norm_epsilon")] public double LayerNormEpsilon { get; init; } = 1e-6;
    [JsonPropertyName("rotary_pct")] public double RotaryPct { get; init; } = 1.0;
    [JsonPropertyName("rotary_emb_base")] public double RotaryEmbBase { get; init; } = 10000;
    [JsonPropertyName("use_dynamic_ntk")] public bool UseDynamicNtk { get; init; } = true;
    [JsonPropertyName("use_logn_attn")] public bool UseLognAttn { get; init; } = true;
    [JsonPropertyName("scale_attn_weights")] public bool ScaleAttnWeights { get; init; } = true;
    [JsonPropertyName("softmax_in_fp32")] public bool SoftmaxInFp32 { get; init; }
    [JsonPropertyName("use_cache_quantization")] public bool UseCacheQuantization { get; init; }

    /// <summary>True: no bias on attn.c_proj and the MLP (c_attn always has one).</summary>
    [JsonPropertyName("no_bias")] public bool NoBias { get; init; } = true;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }

    // The remote code's precision switches (all false as released: bf16 on CUDA, fp32 on CPU). The loader's dtype
    // argument decides here; the flags are kept so a saved config equals the original.
    [JsonPropertyName("bf16")] public bool Bf16 { get; init; }
    [JsonPropertyName("fp16")] public bool Fp16 { get; init; }
    [JsonPropertyName("fp32")] public bool Fp32 { get; init; }

    /// <summary>Size of one attention head: hidden_size / heads (the remote code's head_dim, not kv_channels).</summary>
    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Width of the SwiGLU branches w1 and w2 (Python's intermediate_size // 2).</summary>
    [JsonIgnore] public int FfnWidth => IntermediateSize / 2;

    /// <summary>Leading dims of each head that rotate: kv_channels, or int(kv_channels * rotary_pct) when rotary_pct is not 1.</summary>
    [JsonIgnore] public int RotaryDim => RotaryPct == 1.0 ? KvChannels : (int)(KvChannels * RotaryPct);

    /// <summary>seq_length, once <see cref="Validate"/> has checked that it is there.</summary>
    [JsonIgnore] public int TrainedLength => SeqLength ?? throw new InvalidOperationException("seq_length is not set; call Validate first.");

    /// <summary>
    /// A config in the layout of Qwen/Qwen-1_8B's (architecture, model_type, auto_map; the remote defaults for the rest)
    /// with the given sizes; max_position_embeddings equals <paramref name="seqLength"/>.
    /// </summary>
    public static QwenConfig Qwen1Like(int vocab, int hidden, int heads, int kvChannels, int intermediate, int layers, int seqLength) => new()
    {
        Architectures = [Architecture],
        ModelType = Type,
        AutoMap = new Dictionary<string, string>
        {
            ["AutoConfig"] = "configuration_qwen.QWenConfig",
            ["AutoModelForCausalLM"] = "modeling_qwen.QWenLMHeadModel",
        },
        VocabSize = vocab,
        HiddenSize = hidden,
        NumAttentionHeads = heads,
        KvChannels = kvChannels,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        SeqLength = seqLength,
        MaxPositionEmbeddings = seqLength,
    };

    /// <summary>Reads and validates <paramref name="path"/> (a config.json).</summary>
    public static QwenConfig Load(string path) => HfConfigFile.Load<QwenConfig>(path, "Hugging Face", (config, source) => config.Validate(source));

    /// <summary>Writes the config in the real file's layout.</summary>
    public void Save(string path) => HfConfigFile.Save(this, path);

    /// <summary>Throws an error naming <paramref name="source"/> when the remote code could not run this config.</summary>
    public void Validate(string source)
    {
        var arch = Architectures is { Count: > 0 } ? Architectures[0] : null;
        if (arch is not null && arch != Architecture)
        {
            throw new NotSupportedException(
                $"{source}: architecture '{arch}' is not supported by the Qwen-1 loader (expected {Architecture}, e.g. Qwen/Qwen-1_8B). " +
                "Qwen2 (Qwen2ForCausalLM) is a different architecture.");
        }

        if (arch is null && ModelType is not null && ModelType != Type)
        {
            throw new NotSupportedException($"{source}: model_type '{ModelType}' is not supported by the Qwen-1 loader (expected \"{Type}\").");
        }

        Require(VocabSize > 0 && HiddenSize > 0 && NumHiddenLayers > 0 && NumAttentionHeads > 0 && KvChannels > 0,
            source, "vocab_size, hidden_size, num_hidden_layers, num_attention_heads and kv_channels must be positive");
        Require(KvChannels * NumAttentionHeads == HiddenSize, source,
            $"kv_channels {KvChannels} * num_attention_heads {NumAttentionHeads} = {KvChannels * NumAttentionHeads} is not hidden_size {HiddenSize}: " +
            "the remote code splits c_attn by hidden_size and sizes heads as hidden_size / num_attention_heads, so it only runs when they agree");
        Require(IntermediateSize >= 2, source, $"intermediate_size {IntermediateSize} is too small (w1 and w2 have intermediate_size / 2 outputs)");
        Require(SeqLength is > 0, source,
            "seq_length is missing or not positive: the remote code reads config.seq_length (8192 for Qwen-1_8B) for dynamic NTK and logn attention");
        Require(RotaryPct is > 0 and <= 1, source, $"rotary_pct {RotaryPct} must be in (0, 1]");
        Require(RotaryDim >= 4 && RotaryDim % 2 == 0, source,
            $"the rotary dimension int(kv_channels * rotary_pct) = {RotaryDim} must be even and at least 4 " +
            "(the remote code computes the rotary base with alpha^(dim / (dim - 2)))");
        Require(RotaryEmbBase > 0 && LayerNormEpsilon > 0, source, "rotary_emb_base and layer_norm_epsilon must be positive");
        Require(!UseCacheQuantization, source, "use_cache_quantization is not supported (it changes the numbers); set it to false");
    }
}
