using System.Text.Json;
using System.Text.Json.Serialization;

namespace MseLab.Experiments.Backbones;

/// <summary>
/// A frozen backbone as a sweep file or a command names it, parsed once where it enters: a preset MseLab makes itself
/// (<c>tiny</c>, <c>tiny-qwen</c>, <c>tiny-chatglm3</c>), or a Hugging Face model folder. Its family comes from the preset or from the folder's config.json,
/// never from a constant. In JSON (stored trial configurations) a reference is its text: the preset name or the folder's
/// absolute path.
/// </summary>
[JsonConverter(typeof(BackboneRefJsonConverter))]
public abstract record BackboneRef
{
    /// <summary>The model family (which loader, tokenizer, prompt layout and default hyperparameters apply).</summary>
    /// <exception cref="FileNotFoundException">A folder without config.json.</exception>
    /// <exception cref="InvalidDataException">A config.json that names no supported family.</exception>
    public abstract BackboneFamily Family { get; }

    /// <summary>A short label for tables: the preset name or the folder's name.</summary>
    public abstract string Label { get; }

    /// <summary>
    /// Parses a backbone reference: a preset name, or a folder path (relative paths are taken from
    /// <paramref name="relativeTo"/>, default the working folder). Nothing is read from disk.
    /// </summary>
    public static BackboneRef Parse(string text, string? relativeTo = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return PresetBackbone.TryGet(text, out var preset) ? preset
            : new FolderBackbone(Path.GetFullPath(Path.Combine(relativeTo ?? Directory.GetCurrentDirectory(), text)));
    }

    /// <summary>The text form: the preset name or the absolute folder path.</summary>
    public abstract override string ToString();
}

/// <summary>A backbone MseLab creates itself on first use, named in sweeps by <see cref="Name"/>.</summary>
public sealed record PresetBackbone : BackboneRef
{
    /// <summary>A small LLaMA pretrained on a generated corpus, made in the models folder (<c>tiny-llama</c>) on first use.</summary>
    public static PresetBackbone Tiny { get; } = new("tiny", "tiny-llama", BackboneFamily.Llama2);

    /// <summary>A small Qwen-1 in the real Qwen folder layout (qwen.tiktoken, auto_map), made in <c>tiny-qwen</c> on first use.</summary>
    public static PresetBackbone TinyQwen { get; } = new("tiny-qwen", "tiny-qwen", BackboneFamily.Qwen1);

    /// <summary>A small ChatGLM3 in the real ChatGLM3 folder layout (SentencePiece tokenizer.model), made in <c>tiny-chatglm3</c> on first use.</summary>
    public static PresetBackbone TinyChatGlm3 { get; } = new("tiny-chatglm3", "tiny-chatglm3", BackboneFamily.ChatGLM3);

    /// <summary>Every preset, one per family.</summary>
    public static IReadOnlyList<PresetBackbone> All { get; } = [Tiny, TinyQwen, TinyChatGlm3];

    private PresetBackbone(string name, string folder, BackboneFamily family) => (Name, Folder, PresetFamily) = (name, folder, family);

    /// <summary>The name sweeps and commands use.</summary>
    public string Name { get; }

    /// <summary>The folder it is created in, under the models folder.</summary>
    public string Folder { get; }

    private BackboneFamily PresetFamily { get; }

    public override BackboneFamily Family => PresetFamily;

    public override string Label => Name;

    /// <summary>The preset named <paramref name="name"/> (case-insensitive).</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PresetBackbone? preset)
    {
        preset = All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return preset is not null;
    }

    public override string ToString() => Name;
}

/// <summary>A Hugging Face model folder (config.json, weights, tokenizer files), by absolute path.</summary>
public sealed record FolderBackbone(string Directory) : BackboneRef
{
    /// <summary>Read from the folder's config.json (each time: the folder is the truth).</summary>
    public override BackboneFamily Family => BackboneFamilies.Detect(Directory);

    public override string Label => Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory));

    public override string ToString() => Directory;
}

/// <summary>A <see cref="BackboneRef"/> in JSON: its text form.</summary>
public sealed class BackboneRefJsonConverter : JsonConverter<BackboneRef>
{
    public override BackboneRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { Length: > 0 } text ? BackboneRef.Parse(text) : throw new JsonException("A backbone reference is a non-empty string.");

    public override void Write(Utf8JsonWriter writer, BackboneRef value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}
