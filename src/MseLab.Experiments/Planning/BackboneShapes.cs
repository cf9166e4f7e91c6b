using System.Text.Json;
using MseLab.Experiments.Backbones;

namespace MseLab.Experiments.Planning;

/// <summary>
/// Reads a backbone's <see cref="BackboneShape"/> from its Hugging Face config.json, with each family's own key names
/// (LLaMA <c>num_key_value_heads</c>, Qwen-1 <c>kv_channels</c> and a doubled <c>intermediate_size</c>, ChatGLM3
/// <c>num_layers</c>, <c>multi_query_group_num</c>, <c>padded_vocab_size</c>). Torch-free: nothing is loaded.
/// </summary>
public static class BackboneShapes
{
    /// <summary>Where presets are made unless a worker says otherwise (the engine's default models folder).</summary>
    public const string DefaultModelsDirectory = "models";

    // The tiny presets' sizes (TinyBackboneOptions' defaults), for a plan made before the preset's folder exists; the
    // vocabulary is the tokenizer trainer's target, an upper bound of what it makes.
    private const long TinyVocab = 1024, TinyHidden = 64, TinyLayers = 2, TinyHeads = 4, TinyKvHeads = 2, TinyMlp = 176;

    /// <summary>
    /// The shape of <paramref name="backbone"/>: a folder's config.json, or a preset's config.json under
    /// <paramref name="modelsDirectory"/> once made (else the preset's default sizes).
    /// </summary>
    /// <exception cref="FileNotFoundException">A folder without config.json.</exception>
    /// <exception cref="InvalidDataException">config.json lacks a size the estimate needs, or names no supported family.</exception>
    public static BackboneShape Of(BackboneRef backbone, string modelsDirectory)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        switch (backbone)
        {
            case FolderBackbone folder:
                return FromConfig(Path.Combine(folder.Directory, "config.json"));
            case PresetBackbone preset:
                var made = Path.Combine(modelsDirectory, preset.Folder, "config.json");
                return File.Exists(made) ? FromConfig(made) : TinyDefault(preset.Family);
            default:
                throw new ArgumentException($"Unknown backbone reference {backbone}.", nameof(backbone));
        }
    }

    /// <summary>The shape a config.json file describes.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not JSON, no supported family, or a needed size is missing.</exception>
    public static BackboneShape FromConfig(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist: a memory plan reads the backbone's sizes from its config.json.", path);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return FromJson(document.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid config.json ({e.Message}).", e);
        }
    }

    /// <summary>The shape a parsed config.json describes; <paramref name="where"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">No supported family, or a needed size is missing.</exception>
    public static BackboneShape FromJson(JsonElement config, string where)
    {
        var modelType = String(config, "model_type");
        var architecture = config.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? list[0].GetString() : null;
        if (!BackboneFamilies.TryFromConfig(modelType, architecture, out var family))
        {
            throw new InvalidDataException($"{where}: model_type '{modelType}' / architecture '{architecture}' is not a LLaMA, Qwen-1 or ChatGLM3 config.");
        }

        long Need(string key) => Integer(config, key) ?? throw new InvalidDataException(
            $"{where}: '{key}' is missing or not an integer; a memory plan needs it (copy config.json from the model's Hugging Face repository).");

        switch (family)
        {
            case BackboneFamily.Llama2:
            {
                var hidden = Need("hidden_size");
                var heads = Need("num_attention_heads");
                return new BackboneShape(family, Need("vocab_size"), hidden, Need("num_hidden_layers"), heads,
                    Integer(config, "num_key_value_heads") ?? heads, Integer(config, "head_dim") ?? hidden / heads, Need("intermediate_size"),
                    Bool(config, "attention_bias") ?? false, Bool(config, "tie_word_embeddings") ?? false, AttentionKernel.Fused);
            }

            case BackboneFamily.Qwen1:
            {
                // head_dim is hidden / heads (the remote code's split), and intermediate_size counts both w1 and w2.
                var hidden = Need("hidden_size");
                var heads = Need("num_attention_heads");
                return new BackboneShape(family, Need("vocab_size"), hidden, Need("num_hidden_layers"), heads, heads, hidden / heads,
                    Need("intermediate_size") / 2, QkvBias: true, Bool(config, "tie_word_embeddings") ?? false, AttentionKernel.Math);
            }

            default:
            {
                var heads = Need("num_attention_heads");
                var groups = Bool(config, "multi_query_attention") == true ? Need("multi_query_group_num") : heads;
                return new BackboneShape(family, Integer(config, "padded_vocab_size") ?? Need("vocab_size"), Need("hidden_size"), Need("num_layers"), heads, groups,
                    Need("kv_channels"), Need("ffn_hidden_size"), Bool(config, "add_qkv_bias") ?? false, TiedEmbeddings: false, AttentionKernel.Math);
            }
        }
    }

    private static BackboneShape TinyDefault(BackboneFamily family) => family switch
    {
        BackboneFamily.Llama2 => new(family, TinyVocab, TinyHidden, TinyLayers, TinyHeads, TinyKvHeads, TinyHidden / TinyHeads, TinyMlp, false, false, AttentionKernel.Fused),
        BackboneFamily.Qwen1 => new(family, TinyVocab, TinyHidden, TinyLayers, TinyHeads, TinyHeads, TinyHidden / TinyHeads, TinyMlp, true, false, AttentionKernel.Math),
        _ => new(family, TinyVocab, TinyHidden, TinyLayers, TinyHeads, TinyKvHeads, TinyHidden / TinyHeads, TinyMlp, true, false, AttentionKernel.Math),
    };

    private static string? String(JsonElement config, string key) =>
        config.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Integer(JsonElement config, string key) =>
        config.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n > 0 ? n : null;

    private static bool? Bool(JsonElement config, string key) =>
        config.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
