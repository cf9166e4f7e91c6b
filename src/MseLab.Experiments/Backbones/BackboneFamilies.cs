using System.Text.Json;

namespace MseLab.Experiments.Backbones;

/// <summary>
/// Names the families (by the paper checkpoint whose hyperparameters they take: <c>llama2-7b</c>, <c>qwen-1.8b</c>,
/// <c>chatglm3-6b-base</c>) and reads a model folder's family from its Hugging Face config.json.
/// </summary>
public static class BackboneFamilies
{
    private static readonly (BackboneFamily Family, string PaperName, string ModelType, string Architecture)[] Table =
    [
        (BackboneFamily.Llama2, "llama2-7b", "llama", "LlamaForCausalLM"),
        (BackboneFamily.Qwen1, "qwen-1.8b", "qwen", "QWenLMHeadModel"),
        (BackboneFamily.ChatGLM3, "chatglm3-6b-base", "chatglm", "ChatGLMModel"),
    ];

    /// <summary>The paper checkpoint names, in the order of the spec's tables.</summary>
    public static IReadOnlyList<string> PaperNames { get; } = [.. Table.Select(t => t.PaperName)];

    /// <summary>The paper checkpoint of <paramref name="family"/>, whose hyperparameters the family's trials take by default.</summary>
    public static string PaperName(BackboneFamily family) => Table.Single(t => t.Family == family).PaperName;

    /// <summary>The family of a paper checkpoint name (case-insensitive).</summary>
    public static bool TryParsePaperName(string? name, out BackboneFamily family)
    {
        var row = Table.FirstOrDefault(t => string.Equals(t.PaperName, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        family = row.Family;
        return row.PaperName is not null;
    }

    /// <summary>The family of a paper checkpoint name; the error lists the valid names.</summary>
    /// <exception cref="ArgumentException">Not a paper checkpoint name.</exception>
    public static BackboneFamily ParsePaperName(string name) =>
        TryParsePaperName(name, out var family) ? family
        : throw new ArgumentException($"Unknown backbone '{name}'. Valid backbones: {string.Join(", ", PaperNames)}.", nameof(name));

    /// <summary>
    /// The family of the model in <paramref name="directory"/>, from its config.json: <c>model_type</c>, or else the first
    /// entry of <c>architectures</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has no config.json.</exception>
    /// <exception cref="InvalidDataException">config.json is not JSON, or names a family MseLab does not support.</exception>
    public static BackboneFamily Detect(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Model directory '{directory}' does not exist. Pass a Hugging Face model folder (config.json, weights, tokenizer files), " +
                "or make a tiny one with: mselab backbone create-tiny DIR");
        }

        var path = Path.Combine(directory, "config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist: a Hugging Face model folder needs config.json.", path);
        }

        string? modelType = null, architecture = null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    modelType = type.GetString();
                }

                if (document.RootElement.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
                    && list.GetArrayLength() > 0 && list[0].ValueKind == JsonValueKind.String)
                {
                    architecture = list[0].GetString();
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid config.json ({e.Message}).", e);
        }

        return TryFromConfig(modelType, architecture, out var family) ? family
            : throw new InvalidDataException(
                $"{path}: model_type '{modelType}' / architecture '{architecture}' is not a supported backbone family. " +
                $"Supported: {string.Join(", ", Table.Select(t => $"{t.ModelType} ({t.Architecture})"))}.");
    }

    /// <summary>The family that config.json's <c>model_type</c> (or else its first architecture) names.</summary>
    public static bool TryFromConfig(string? modelType, string? architecture, out BackboneFamily family)
    {
        var row = Table.FirstOrDefault(t => string.Equals(t.ModelType, modelType, StringComparison.Ordinal));
        if (row.PaperName is null)
        {
            row = Table.FirstOrDefault(t => string.Equals(t.Architecture, architecture, StringComparison.Ordinal));
        }

        family = row.Family;
        return row.PaperName is not null;
    }
}
