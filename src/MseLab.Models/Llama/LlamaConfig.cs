using System.Text.Json;
using System.Text.Json.Serialization;
using MseLab.Models.Checkpoints;
using static MseLab.Models.Checkpoints.HfConfigFile;

namespace MseLab.Models.Llama;

/// <summary>
/// The fields of a Hugging Face <c>LlamaForCausalLM</c> config.json that the decoder uses. Names follow HF's JSON.
/// Defaults are HF's <c>LlamaConfig</c> defaults, so a minimal config.json reads the way transformers reads it.
/// </summary>
public sealed record LlamaConfig
{
    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }
    [JsonPropertyName("model_type")] public string? ModelType { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 32000;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 4096;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 11008;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 32;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 32;

    /// <summary>Grouped-query attention: null means one KV head per query head (multi-head attention).</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }

    /// <summary>Explicit head size (newer configs); otherwise hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim")] public int? HeadDimOverride { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 2048;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("rope_scaling")] public JsonElement? RopeScaling { get; init; }
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; } = 1;
    [JsonPropertyName("eos_token_id")] public JsonElement? EosTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; init; }

    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;
    [JsonIgnore] public int HeadDim => HeadDimOverride ?? (HiddenSize / NumAttentionHeads);

    /// <summary>Reads and validates <paramref name="path"/> (a config.json).</summary>
    public static LlamaConfig Load(string path) => HfConfigFile.Load<LlamaConfig>(path, "Hugging Face", (config, source) => config.Validate(source));

    /// <summary>Writes the config in HF's layout.</summary>
    public void Save(string path) => HfConfigFile.Save(this, path);

    /// <summary>Throws an error naming <paramref name="source"/> when the config cannot describe a supported LLaMA decoder.</summary>
    public void Validate(string source)
    {
        var arch = Architectures is { Count: > 0 } ? Architectures[0] : null;
        if (arch is not null && arch != "LlamaForCausalLM")
        {
            throw new NotSupportedException(
                $"{source}: architecture '{arch}' is not supported by the LLaMA loader (expected LlamaForCausalLM). " +
                "Supported now: LLaMA-family checkpoints (e.g. Llama-2-7b-hf). Qwen-1 and ChatGLM3 loaders are separate backbones.");
        }

        if (arch is null && ModelType is not null && ModelType != "llama")
        {
            throw new NotSupportedException($"{source}: model_type '{ModelType}' is not supported by the LLaMA loader (expected \"llama\").");
        }

        Require(VocabSize > 0 && HiddenSize > 0 && IntermediateSize > 0 && NumHiddenLayers > 0 && NumAttentionHeads > 0,
            source, "vocab_size, hidden_size, intermediate_size, num_hidden_layers and num_attention_heads must be positive");
        Require(HeadDimOverride is not null || HiddenSize % NumAttentionHeads == 0, source,
            $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        Require(KeyValueHeads > 0 && NumAttentionHeads % KeyValueHeads == 0, source,
            $"num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {KeyValueHeads}");
        Require(HeadDim % 2 == 0, source, $"head dimension {HeadDim} must be even for rotary embeddings");
        Require(HiddenAct == "silu", source, $"hidden_act '{HiddenAct}' is not supported (LLaMA uses silu)");
        Require(RopeScaling is null || RopeScaling.Value.ValueKind == JsonValueKind.Null, source,
            "rope_scaling is not supported yet (LLaMA-2 has none); remove it or use an unscaled checkpoint");
    }
}
