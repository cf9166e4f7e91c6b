namespace MseLab.Experiments.Tests;

/// <summary>A temporary Hugging Face model folder holding only a config.json (enough to tell its family).</summary>
internal sealed class ModelFolder : IDisposable
{
    public ModelFolder(string modelType, string? architecture = null)
    {
        Path = Directory.CreateTempSubdirectory("mselab-model-").FullName;
        var architectures = architecture is null ? "" : $$""", "architectures": ["{{architecture}}"]""";
        File.WriteAllText(ConfigPath, $$"""{"model_type": "{{modelType}}"{{architectures}}}""");
    }

    public string Path { get; }

    public string ConfigPath => System.IO.Path.Combine(Path, "config.json");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
