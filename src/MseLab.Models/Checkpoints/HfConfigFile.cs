using System.Text.Json;
using System.Text.Json.Serialization;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// Reading and writing a model directory's config.json, shared by the family configs (LLaMA, Qwen-1, ChatGLM3): each
/// keeps its own fields and Validate, this keeps the file handling and the error wording the same for all of them.
/// </summary>
internal static class HfConfigFile
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Reads <paramref name="path"/> as <typeparamref name="T"/> and runs <paramref name="validate"/> on it with the path
    /// as source. <paramref name="directoryKind"/> names the folder in the missing-file error ("a {kind} model directory").
    /// </summary>
    public static T Load<T>(string path, string directoryKind, Action<T, string> validate)
        where T : class
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist: a {directoryKind} model directory needs config.json.", path);
        }

        T? config;
        try
        {
            config = JsonSerializer.Deserialize<T>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid config.json ({ex.Message}).", ex);
        }

        if (config is null)
        {
            throw new InvalidDataException($"{path}: config.json is empty.");
        }

        validate(config, path);
        return config;
    }

    /// <summary>Writes <paramref name="config"/> indented, leaving out null fields, as the real config.json files look.</summary>
    public static void Save<T>(T config, string path) => File.WriteAllText(path, JsonSerializer.Serialize(config, JsonOptions));

    /// <summary>Throws "<paramref name="source"/>: <paramref name="message"/>." when <paramref name="condition"/> fails.</summary>
    public static void Require(bool condition, string source, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException($"{source}: {message}.");
        }
    }
}
