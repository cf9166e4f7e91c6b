using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;

namespace MseLab.Cli.Tests.Backbone;

/// <summary>
/// create-tiny for the Qwen-1 and ChatGLM3 families as real processes: the folder has the real checkpoints' layout, the
/// family's tokenizer and decoder read it back, and a trial trains and evaluates on it.
/// </summary>
public sealed class TinyFamiliesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-tiny-families-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string, string, string> Families => new()
    {
        // family flag, tokenizer file, config.json architecture, the model type BackboneFamilies reads
        { "qwen", "qwen.tiktoken", "QWenLMHeadModel", "qwen" },
        { "chatglm3", "tokenizer.model", "ChatGLMModel", "chatglm" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void CreateTiny_Family_WritesTheRealLayoutThatTokenizesRunsAndTrains(string family, string tokenizerFile, string architecture, string modelType)
    {
        var model = Path.Combine(_dir, family);

        var created = ProcessRunner.Mselab("backbone", "create-tiny", model, "--family", family, "--steps", "150");

        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.True(File.Exists(Path.Combine(model, tokenizerFile)), $"{tokenizerFile} missing");
        Assert.True(File.Exists(Path.Combine(model, "tokenizer_config.json")));
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")));
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json"))))
        {
            Assert.Equal(architecture, config.RootElement.GetProperty("architectures")[0].GetString());
            Assert.Equal(modelType, config.RootElement.GetProperty("model_type").GetString());
            Assert.True(config.RootElement.TryGetProperty("auto_map", out _), "config.json lacks auto_map");
        }

        var tokenized = ProcessRunner.Mselab("backbone", "tokenize", "--model", model, "--text", "<Multimodal> joyful", "--json");
        Assert.True(tokenized.ExitCode == 0, tokenized.StandardError);
        using (var ids = JsonDocument.Parse(tokenized.StandardOutput))
        {
            Assert.True(ids.RootElement.GetProperty("ids").GetArrayLength() > 1);
        }

        var logits = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", "3,4,5", "--json");
        Assert.True(logits.ExitCode == 0, logits.StandardError);

        var output = Path.Combine(_dir, family + "-run");
        var trained = ProcessRunner.Mselab("train", "--backbone", model, "--dataset", "synthetic:meld?train=42&valid=14&test=14",
            "--seed", "1111", "--lr", "5e-3", "--warm-up-epochs", "2", "--max-epochs", "1", "--out", output);
        Assert.True(trained.ExitCode == 0, trained.StandardError);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json")));
        var accuracy = result.RootElement.GetProperty("Test").GetProperty("acc").GetDouble();
        Assert.InRange(accuracy, 0, 1);
    }
}
